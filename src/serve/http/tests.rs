use super::request::{Head, ReadWithDeadline};
use super::*;

/// A client for `read_head`: its bytes in the pieces given, then
/// `fill` for ever (or the end of the connection), counting what the
/// server took.
struct Client {
    pieces: std::collections::VecDeque<Vec<u8>>,
    fill: Option<u8>,
    taken: usize,
}

impl Client {
    fn new(pieces: &[&[u8]], fill: Option<u8>) -> Client {
        Client {
            pieces: pieces.iter().map(|p| p.to_vec()).collect(),
            fill,
            taken: 0,
        }
    }
}

impl ReadWithDeadline for Client {
    fn read_within(&mut self, buf: &mut [u8], _: Duration) -> std::io::Result<usize> {
        let n = match (self.pieces.pop_front(), self.fill) {
            (Some(mut piece), _) => {
                // What does not fit comes with the next read.
                if piece.len() > buf.len() {
                    self.pieces.push_front(piece.split_off(buf.len()));
                }
                buf[..piece.len()].copy_from_slice(&piece);
                piece.len()
            }
            (None, Some(byte)) => {
                buf.fill(byte);
                buf.len()
            }
            (None, None) => 0,
        };
        self.taken += n;
        Ok(n)
    }
}

fn head(method: &str, target: &str) -> Result<Head, Refusal> {
    Ok(Head {
        method: method.into(),
        target: target.into(),
    })
}

#[test]
fn a_head_is_read_however_the_client_splits_it() {
    let request = b"GET /kb/faq/?q=1 HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n";
    let one_by_one: Vec<&[u8]> = request.chunks(1).collect();
    let mut client = Client::new(&one_by_one, None);
    assert_eq!(
        read_head(&mut client, HEAD_TIMEOUT),
        head("GET", "/kb/faq/?q=1")
    );
    // Bare line feeds, a split in the middle of the empty line, and
    // empty lines before the request line.
    for pieces in [
        vec![b"HEAD / HTTP/1.0\nHost: x\n".as_slice(), b"\n"],
        vec![b"GET / HTTP/1.1\r\nHost: x\r".as_slice(), b"\n\r", b"\n"],
        vec![b"\r\n\r\nGET / HTTP/1.1\r\n".as_slice(), b"\r\n"],
    ] {
        let method = if pieces[0].starts_with(b"HEAD") {
            "HEAD"
        } else {
            "GET"
        };
        assert_eq!(
            read_head(&mut Client::new(&pieces, None), HEAD_TIMEOUT),
            head(method, "/"),
            "{pieces:?}"
        );
    }
}

#[test]
fn an_endless_request_line_is_refused_once_past_the_bound() {
    let mut client = Client::new(&[b"GET /"], Some(b'a'));
    assert_eq!(
        read_head(&mut client, HEAD_TIMEOUT),
        Err(Refusal::LineTooLong)
    );
    assert!(client.taken <= MAX_REQUEST_LINE + 8192, "{}", client.taken);
    // Just under the bound is fine.
    let target = format!("/{}", "a".repeat(MAX_REQUEST_LINE - 20));
    let request = format!("GET {target} HTTP/1.1\r\n\r\n");
    assert_eq!(
        read_head(&mut Client::new(&[request.as_bytes()], None), HEAD_TIMEOUT),
        head("GET", &target)
    );
}

#[test]
fn an_endless_header_is_refused_once_past_the_bound() {
    let mut client = Client::new(&[b"GET / HTTP/1.1\r\nX-Long: "], Some(b'a'));
    assert_eq!(
        read_head(&mut client, HEAD_TIMEOUT),
        Err(Refusal::HeadTooLarge)
    );
    assert!(client.taken <= MAX_HEAD + 8192, "{}", client.taken);
    // Many short header lines count alike, and so do too many fields.
    let many_lines: Vec<u8> = b"GET / HTTP/1.1\r\n"
        .iter()
        .copied()
        .chain(b"X-A: b\r\n".repeat(MAX_HEAD / 8))
        .chain(*b"\r\n")
        .collect();
    let too_many: Vec<u8> = b"GET / HTTP/1.1\r\n"
        .iter()
        .copied()
        .chain(b"X-A: b\r\n".repeat(MAX_HEADERS + 1))
        .chain(*b"\r\n")
        .collect();
    for request in [many_lines, too_many] {
        let pieces: Vec<&[u8]> = request.chunks(8192).collect();
        assert_eq!(
            read_head(&mut Client::new(&pieces, None), HEAD_TIMEOUT),
            Err(Refusal::HeadTooLarge)
        );
    }
}

#[test]
fn broken_slow_and_vanished_clients() {
    assert_eq!(
        read_head(
            &mut Client::new(&[b"GET / HTTP/1.1\r\nno colon here\r\n\r\n"], None),
            HEAD_TIMEOUT
        ),
        Err(Refusal::Malformed)
    );
    assert_eq!(
        read_head(
            &mut Client::new(&[b"PRI * HTTP/2.0\r\n\r\n"], None),
            HEAD_TIMEOUT
        ),
        Err(Refusal::Malformed)
    );
    assert_eq!(
        read_head(&mut Client::new(&[b"GET / HT"], None), HEAD_TIMEOUT),
        Err(Refusal::Gone)
    );
    // A client that sends a byte now and then still has one deadline
    // for the whole head.
    struct Trickle;
    impl ReadWithDeadline for Trickle {
        fn read_within(&mut self, buf: &mut [u8], within: Duration) -> std::io::Result<usize> {
            std::thread::sleep(within.min(Duration::from_millis(20)));
            buf[0] = b'a';
            Ok(1)
        }
    }
    let started = Instant::now();
    assert_eq!(
        read_head(&mut Trickle, Duration::from_millis(200)),
        Err(Refusal::TimedOut)
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn resolves_inside_and_refuses_outside() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("public");
    std::fs::create_dir_all(root.join("faq")).unwrap();
    std::fs::write(root.join("index.html"), "home").unwrap();
    std::fs::write(root.join("faq/a b.html"), "a").unwrap();
    std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
    let canon = root.canonicalize().unwrap();
    assert_eq!(
        resolve(&root, "/kb/", "/kb/"),
        Resolution::File(canon.join("index.html"))
    );
    assert_eq!(
        resolve(&root, "/kb/", "/kb"),
        Resolution::Redirect("/kb/".into())
    );
    assert_eq!(
        resolve(&root, "/kb/", "/kb/faq/a%20b.html?q=1"),
        Resolution::File(canon.join("faq/a b.html"))
    );
    assert_eq!(
        resolve(&root, "/kb/", "/kb/faq"),
        Resolution::Redirect("/kb/faq/".into())
    );
    assert_eq!(
        resolve(&root, "/kb/", "/"),
        Resolution::Redirect("/kb/".into())
    );
    assert_eq!(
        resolve(&root, "/kb/", "/kb/missing.html"),
        Resolution::NotFound
    );
    assert_eq!(
        resolve(&root, "/kb/", "/other/index.html"),
        Resolution::NotFound
    );
    for attack in [
        "/kb/../secret.txt",
        "/kb/%2e%2e/secret.txt",
        "/kb/faq/%2E%2E/%2E%2E/secret.txt",
        "/kb/..%2fsecret.txt",
        "/kb/..%5csecret.txt",
        "/kb/%00",
        "/kb/%zz",
    ] {
        assert_eq!(
            resolve(&root, "/kb/", attack),
            Resolution::Forbidden,
            "{attack}"
        );
    }
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_folder_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("public");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt")).unwrap();
    assert_eq!(resolve(&root, "/", "/link.txt"), Resolution::Forbidden);
}
