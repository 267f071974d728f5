//! A synthetic knowledge base for benchmarks, in saywhen's own format.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --entries 10000 --out /tmp/kb10k [--seed 42]
//! ```
//!
//! Writes `site.toml` and a folder under `content/` for each kind of entry
//! (`saywhen::load::Kind`), each kind an equal share: playbooks of about 600
//! words, technique cards of about 300 and "What should I say when…" entries
//! of about 250 (a kind is written like one of the three, by its properties:
//! steps, a title derived from a situation, or neither). Each entry has 2–4
//! tags from a vocabulary of 40 (a few tags are much larger than the others,
//! as in real knowledge bases), 3–6 links to other entries (relative `.md`
//! links and `[[wikilinks]]`, some to `#step-N` or section anchors),
//! headings, lists, tables, emphasis, blockquotes, `say`/`avoid` blocks,
//! aliases, an owner and a review date. Every link resolves and every entry
//! is linked from another one, so `saywhen check` reports nothing.
//!
//! The output depends only on `--entries` and `--seed`: each entry takes
//! its numbers from its own generator seeded from both, with splitmix64
//! (no crates).

use saywhen::load::Kind;
use saywhen::slug::slugify;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// Marks a folder as written by this generator, so it may be replaced.
const MARKER: &str = ".gen_corpus";

/// splitmix64: tiny, fast, and good enough for synthetic text.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 11) as u128 * n as u128) >> 53) as usize
    }

    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Skewed towards the start of `items`: index = n·u³.
    fn pick_skewed<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        &items[((u * u * u) * items.len() as f64) as usize]
    }
}

// ---- vocabulary -----------------------------------------------------------

const TAGS: &[&str] = &[
    "angry",
    "upset",
    "escalated",
    "payment",
    "listening",
    "resolving",
    "closing",
    "opening",
    "inbound",
    "outbound",
    "legal",
    "dispute",
    "privacy",
    "complaint",
    "hardship",
    "wellbeing",
    "anxious",
    "confused",
    "after-call",
    "billing",
    "refund",
    "cancellation",
    "retention",
    "fraud",
    "identity",
    "vulnerable",
    "bereavement",
    "language",
    "accessibility",
    "technical",
    "delivery",
    "contract",
    "renewal",
    "insurance",
    "medical",
    "collections",
    "settlement",
    "callback",
    "supervisor",
    "quality",
];

const OWNERS: &[&str] = &[
    "Customer Care Training",
    "Collections Team",
    "Compliance Office",
    "Quality Assurance",
    "Retention Desk",
    "Billing Operations",
    "Complaints Unit",
    "Workforce Wellbeing",
    "Fraud Prevention",
    "Vulnerable Customers Team",
];

/// Body words, commonest first (they are picked with a skew).
const WORDS: &[&str] = &[
    "the",
    "customer",
    "and",
    "to",
    "a",
    "you",
    "call",
    "of",
    "is",
    "it",
    "that",
    "for",
    "they",
    "what",
    "account",
    "with",
    "on",
    "your",
    "them",
    "this",
    "be",
    "if",
    "can",
    "agent",
    "not",
    "payment",
    "time",
    "say",
    "we",
    "are",
    "as",
    "their",
    "when",
    "have",
    "so",
    "help",
    "will",
    "do",
    "next",
    "about",
    "from",
    "at",
    "want",
    "need",
    "or",
    "our",
    "before",
    "after",
    "tell",
    "listen",
    "ask",
    "calm",
    "problem",
    "balance",
    "plan",
    "record",
    "notes",
    "offer",
    "option",
    "supervisor",
    "manager",
    "team",
    "question",
    "answer",
    "voice",
    "words",
    "tone",
    "pause",
    "moment",
    "feeling",
    "angry",
    "upset",
    "worried",
    "confused",
    "frustrated",
    "difficult",
    "clear",
    "short",
    "plain",
    "honest",
    "fair",
    "right",
    "wrong",
    "today",
    "tomorrow",
    "week",
    "month",
    "date",
    "amount",
    "letter",
    "email",
    "phone",
    "number",
    "details",
    "name",
    "address",
    "reference",
    "policy",
    "process",
    "rule",
    "law",
    "right",
    "complaint",
    "dispute",
    "refund",
    "charge",
    "fee",
    "interest",
    "bill",
    "invoice",
    "contract",
    "service",
    "order",
    "delivery",
    "product",
    "company",
    "promise",
    "agreement",
    "arrangement",
    "deadline",
    "reminder",
    "summary",
    "check",
    "confirm",
    "explain",
    "repeat",
    "acknowledge",
    "apologise",
    "agree",
    "decide",
    "choose",
    "escalate",
    "transfer",
    "hold",
    "wait",
    "return",
    "follow",
    "update",
    "change",
    "cancel",
    "close",
    "open",
    "start",
    "finish",
    "keep",
    "stop",
    "try",
    "show",
    "understand",
    "hear",
    "feel",
    "know",
    "think",
    "believe",
    "expect",
    "remember",
    "forget",
    "mention",
    "describe",
    "write",
    "read",
    "send",
    "receive",
    "pay",
    "owe",
    "afford",
    "save",
    "lose",
    "gain",
    "move",
    "stay",
    "leave",
    "come",
    "go",
    "give",
    "take",
    "make",
    "find",
    "get",
    "set",
    "put",
    "let",
    "look",
    "see",
    "use",
    "work",
    "job",
    "money",
    "family",
    "health",
    "situation",
    "reason",
    "detail",
    "fact",
    "step",
    "stage",
    "part",
    "point",
    "issue",
    "matter",
    "concern",
    "question",
    "request",
    "demand",
    "threat",
    "lawyer",
    "court",
    "regulator",
    "ombudsman",
    "manager",
    "colleague",
    "partner",
    "caller",
    "client",
    "person",
    "people",
    "everyone",
    "someone",
    "nobody",
    "always",
    "never",
    "often",
    "sometimes",
    "usually",
    "quickly",
    "slowly",
    "carefully",
    "gently",
    "firmly",
    "calmly",
    "clearly",
    "simply",
    "really",
    "only",
    "also",
    "still",
    "already",
    "again",
    "even",
    "just",
    "very",
    "much",
    "more",
    "less",
    "most",
    "least",
    "first",
    "last",
    "second",
    "third",
    "new",
    "old",
    "good",
    "bad",
    "better",
    "worse",
    "best",
    "worst",
    "long",
    "small",
    "large",
    "whole",
    "every",
    "each",
    "other",
    "another",
    "same",
    "different",
    "important",
    "useful",
    "helpful",
    "possible",
    "likely",
    "ready",
    "sure",
    "certain",
    "careful",
    "patient",
    "polite",
    "rude",
    "loud",
    "quiet",
    "silent",
    "crying",
    "shouting",
    "swearing",
    "threatening",
    "blaming",
    "interrupting",
    "rambling",
    "hesitating",
    "refusing",
    "insisting",
    "complaining",
    "apologising",
    "listening",
    "recording",
    "documenting",
    "verifying",
    "reviewing",
    "escalating",
    "resolving",
    "closing",
    "opening",
    "greeting",
    "introducing",
    "summarising",
    "paraphrasing",
    "empathy",
    "rapport",
    "trust",
    "respect",
    "boundary",
    "limit",
    "choice",
    "control",
    "pressure",
    "stress",
    "relief",
    "comfort",
    "support",
    "wellbeing",
    "break",
    "breath",
    "silence",
    "emotion",
    "frustration",
    "anger",
    "fear",
    "worry",
    "shame",
    "embarrassment",
    "hope",
    "confidence",
    "credibility",
    "script",
    "guideline",
    "checklist",
    "template",
    "system",
    "screen",
    "queue",
    "shift",
    "schedule",
    "target",
    "quality",
    "feedback",
    "coaching",
    "training",
    "practice",
    "example",
    "phrase",
    "sentence",
    "statement",
    "acknowledgment",
    "apology",
    "explanation",
    "instruction",
    "solution",
    "outcome",
    "result",
    "benefit",
    "risk",
    "consequence",
    "mistake",
    "error",
    "misunderstanding",
    "delay",
    "hardship",
    "bereavement",
    "illness",
    "redundancy",
    "income",
    "budget",
    "instalment",
    "settlement",
    "discount",
    "waiver",
    "extension",
    "exception",
    "approval",
    "permission",
    "consent",
    "privacy",
    "security",
    "identity",
    "password",
    "verification",
    "fraud",
    "scam",
    "vulnerability",
    "accessibility",
    "interpreter",
    "language",
    "hearing",
    "disability",
    "carer",
    "relative",
    "representative",
    "third",
    "party",
    "debt",
    "collection",
    "arrears",
    "statement",
    "receipt",
    "proof",
    "evidence",
    "document",
    "form",
    "portal",
    "website",
    "app",
    "chat",
    "message",
    "voicemail",
    "callback",
    "survey",
    "review",
    "rating",
    "social",
    "media",
    "post",
    "public",
    "private",
    "internal",
    "external",
    "legal",
    "formal",
    "informal",
    "written",
    "spoken",
    "verbal",
    "personal",
    "professional",
    "friendly",
    "warm",
    "neutral",
    "positive",
    "negative",
    "constructive",
    "defensive",
    "aggressive",
    "abusive",
    "hostile",
    "distressed",
    "anxious",
    "nervous",
    "tired",
    "busy",
    "driving",
    "travelling",
    "abroad",
    "overseas",
    "weekend",
    "evening",
    "morning",
    "afternoon",
    "holiday",
];

/// Syllables for the long tail of rare words: product names, systems,
/// places, surnames — the terms that make a real index large.
const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ren", "tor", "va", "zen", "qu", "bri", "dal", "fen", "gor", "hal", "jin",
    "kel", "mar", "nor", "pel", "ros", "sil", "tam", "ul", "vex", "wyn", "xan", "yor", "zal",
    "bel", "cor", "dun",
];

const SURNAMES: &[&str] = &[
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Kowalski",
    "Fitzgerald",
    "Haddad",
    "Osei",
    "Novak",
    "Delgado",
    "Petrov",
    "Achterberg",
];

// Title parts. Each shape's slugs start with words no other shape's do, so
// slugs never collide across kinds.
const PB_VERBS: &[&str] = &[
    "Handling",
    "Managing",
    "Calming",
    "Resolving",
    "Navigating",
    "Rescuing",
    "Steering",
    "Closing",
    "Opening",
    "Escalating",
    "Defusing",
    "Recovering",
];
const PB_ADJ: &[&str] = &[
    "an angry",
    "a tearful",
    "a confused",
    "a hostile",
    "a silent",
    "a rambling",
    "a suspicious",
    "an anxious",
    "a grieving",
    "a busy",
    "an elderly",
    "a repeat",
    "a frustrated",
    "a distrustful",
    "a panicked",
    "an impatient",
    "a disappointed",
    "a sarcastic",
    "a bewildered",
    "a demanding",
    "an exhausted",
    "a nervous",
    "a defensive",
    "a polite but firm",
    "a furious",
    "a worried",
    "a hesitant",
    "a talkative",
    "a reluctant",
    "a vulnerable",
];
const PB_TOPICS: &[&str] = &[
    "billing call",
    "collections call",
    "refund request",
    "cancellation call",
    "complaint call",
    "fraud report",
    "delivery query",
    "contract renewal",
    "insurance claim",
    "payment dispute",
    "identity check",
    "hardship call",
    "bereavement call",
    "callback",
    "transfer",
    "service outage call",
    "price rise call",
    "direct debit query",
    "account closure",
    "data request",
    "warranty claim",
    "repair booking",
    "overdue notice call",
    "debt advice call",
    "retention offer",
    "late fee query",
    "broken promise call",
    "chargeback query",
    "moving house call",
    "plan change call",
    "meter reading dispute",
    "roaming charge query",
    "subscription call",
];

const TE_VERBS: &[&str] = &[
    "Using",
    "Practising",
    "Building",
    "Keeping",
    "Offering",
    "Giving",
    "Asking",
    "Naming",
    "Setting",
    "Mirroring",
    "Framing",
    "Checking",
];
const TE_OBJECTS: &[&str] = &[
    "silence",
    "short summaries",
    "open questions",
    "closed questions",
    "clear choices",
    "plain numbers",
    "a steady pace",
    "a calm tone",
    "firm limits",
    "honest timelines",
    "written follow-ups",
    "the customer's words",
    "the next step",
    "a named owner",
    "one fact at a time",
    "small promises",
    "the call outline",
    "a warm handover",
    "a fair deadline",
    "the right apology",
    "active acknowledgments",
    "the customer's goal",
    "an agreed record",
    "a recap",
    "spare options",
    "real empathy",
    "positive wording",
    "a clean restart",
    "careful notes",
    "a safe exit",
    "the pause button",
    "a second opinion",
    "two-step answers",
    "everyday words",
    "plain refusals",
    "an honest maybe",
];
const TE_WHEN: &[&str] = &[
    "under pressure",
    "with an angry caller",
    "on a long call",
    "at the start",
    "before the close",
    "when the caller cries",
    "during a dispute",
    "after a mistake",
    "in a collections call",
    "when time is short",
    "with a new agent listening",
    "when the system is down",
    "on a callback",
    "with a third party",
    "over a bad line",
    "in a second language",
    "when the customer is silent",
    "when you are tired",
    "with a repeat caller",
    "after a transfer",
    "before a transfer",
    "in writing",
    "on a chat",
    "with a supervisor listening",
    "when the answer is no",
    "at the end of a shift",
    "with a vulnerable customer",
    "on an outbound call",
    "when the caller is driving",
    "with a lawyer on the line",
];

const FAQ_WHO: &[&str] = &[
    "the customer",
    "the caller",
    "a customer",
    "the client",
    "a caller",
    "the account holder",
];
const FAQ_ACTS: &[&str] = &[
    "threatens to",
    "refuses to",
    "demands to",
    "asks to",
    "wants to",
    "insists on trying to",
    "keeps trying to",
    "says they will",
    "promises to",
    "forgets to",
    "is afraid to",
    "is not allowed to",
    "has been told to",
    "cannot",
    "starts to",
    "refuses to let you",
    "expects you to",
    "begs you to",
    "tries to",
    "asks you not to",
    "is unable to",
    "wants someone else to",
    "claims they already tried to",
    "says a friend told them to",
    "is too upset to",
    "is in a hurry to",
    "wants in writing how to",
    "wants to know why they must",
];
const FAQ_OBJECTS: &[&str] = &[
    "sue the company",
    "cancel the contract",
    "speak to a manager",
    "pay next month",
    "close the account",
    "post a bad review",
    "record the call",
    "report you",
    "stop all calls",
    "dispute the charge",
    "get a refund",
    "change the due date",
    "move to a competitor",
    "skip a payment",
    "call the regulator",
    "see the recording",
    "talk to a lawyer first",
    "hang up",
    "pay half now",
    "remove the late fee",
    "change their address",
    "add a relative",
    "speak in another language",
    "pay by card",
    "leave a message",
    "call back later",
    "have it in writing",
    "split the bill",
    "end the call",
    "check your identity",
    "send proof",
    "talk about something else",
    "wait for their salary",
    "see the contract",
    "reset the password",
    "keep the discount",
];

// ---- entries --------------------------------------------------------------

/// How an entry is written, from its kind's properties in the table of
/// kinds: numbered steps (playbooks), a situation and the FAQ sections
/// (kinds that derive their title from it), or a card's sections.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Steps,
    Card,
    Situation,
}

impl Shape {
    fn of(kind: Kind) -> Shape {
        if kind.has_steps() {
            Shape::Steps
        } else if kind.derives_title() {
            Shape::Situation
        } else {
            Shape::Card
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

const TECH_SECTIONS: &[&str] = &[
    "What it is",
    "When to use it",
    "How to do it",
    "Example phrases",
    "Common mistakes",
];
const FAQ_SECTIONS: &[&str] = &[
    "What to say",
    "Why they react this way",
    "What to avoid",
    "Steps",
    "See also",
];

/// What other entries need to know to link to one: decided before any body
/// is written.
struct Meta {
    kind: Kind,
    shape: Shape,
    slug: String,
    title: String,
    situation: Option<String>,
    /// Anchors that exist on the page.
    anchors: Vec<String>,
}

/// The `n`-th combination of the lists, scrambled so neighbours differ; a
/// bijection on `0..product`, then `round` counts how often it wrapped.
fn combo(n: usize, lists: &[usize]) -> (Vec<usize>, usize) {
    let total: usize = lists.iter().product();
    let round = n / total;
    // 7919 is prime and larger than every list, so coprime with the product
    // unless the product is a multiple of it, which none of ours is.
    let mut x = (n % total) * 7919 % total;
    let mut digits = Vec::with_capacity(lists.len());
    for &len in lists {
        digits.push(x % len);
        x /= len;
    }
    (digits, round)
}

fn metas(entries: usize, seed: u64) -> Vec<Meta> {
    // Equal shares, the last kind taking what the division leaves.
    let kinds = Kind::ALL.len();
    let per = entries / kinds;
    let mut out = Vec::with_capacity(entries);
    // Titles made so far of each shape: two kinds of one shape take
    // different titles, so their slugs never collide.
    let mut made = [0usize; 3];
    for (k, kind) in Kind::ALL.into_iter().enumerate() {
        let count = if k + 1 == kinds {
            entries - per * (kinds - 1)
        } else {
            per
        };
        let shape = Shape::of(kind);
        let first = made[shape.index()];
        made[shape.index()] += count;
        for n in 0..count {
            let mut rng = Rng::new(seed, 1_000_000_000 + (k * 100_000_000 + n) as u64);
            let c = first + n;
            let (title, situation) = match shape {
                Shape::Steps => {
                    let (d, round) = combo(c, &[PB_VERBS.len(), PB_ADJ.len(), PB_TOPICS.len()]);
                    let mut t = format!("{} {} {}", PB_VERBS[d[0]], PB_ADJ[d[1]], PB_TOPICS[d[2]]);
                    if round > 0 {
                        let _ = write!(t, " (variant {})", round + 1);
                    }
                    (t, None)
                }
                Shape::Card => {
                    let (d, round) = combo(c, &[TE_VERBS.len(), TE_OBJECTS.len(), TE_WHEN.len()]);
                    let mut t =
                        format!("{} {} {}", TE_VERBS[d[0]], TE_OBJECTS[d[1]], TE_WHEN[d[2]]);
                    if round > 0 {
                        let _ = write!(t, " (variant {})", round + 1);
                    }
                    (t, None)
                }
                Shape::Situation => {
                    let (d, round) = combo(c, &[FAQ_WHO.len(), FAQ_ACTS.len(), FAQ_OBJECTS.len()]);
                    let mut s =
                        format!("{} {} {}", FAQ_WHO[d[0]], FAQ_ACTS[d[1]], FAQ_OBJECTS[d[2]]);
                    if round > 0 {
                        let _ = write!(s, " for the {} time", ordinal(round + 1));
                    }
                    (format!("What should I say when {s}?"), Some(s))
                }
            };
            let slug = match &situation {
                Some(s) => slugify(s),
                None => slugify(&title),
            };
            let anchors = match shape {
                Shape::Steps => (1..=rng.range(4, 7)).map(|s| format!("step-{s}")).collect(),
                Shape::Card => TECH_SECTIONS.iter().map(|s| slugify(s)).collect(),
                Shape::Situation => FAQ_SECTIONS.iter().map(|s| slugify(s)).collect(),
            };
            out.push(Meta {
                kind,
                shape,
                slug,
                title,
                situation,
                anchors,
            });
        }
    }
    out
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

// ---- text -----------------------------------------------------------------

struct Text<'r> {
    rng: &'r mut Rng,
}

impl Text<'_> {
    fn rare_word(&mut self) -> String {
        let n = self.rng.range(2, 3);
        let mut w = String::new();
        for _ in 0..n {
            w.push_str(self.rng.pick::<&str>(SYLLABLES));
        }
        w
    }

    fn word(&mut self) -> String {
        match self.rng.below(100) {
            0..=2 => self.rare_word(),
            3 => self.rng.pick(SURNAMES).to_string(),
            4 => format!("{}", self.rng.range(2, 90)),
            _ => self.rng.pick_skewed(WORDS).to_string(),
        }
    }

    /// A sentence of about `n` words, some emphasised.
    fn sentence(&mut self, n: usize) -> String {
        let n = self.rng.range(n.saturating_sub(3).max(3), n + 3);
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            let mut w = self.word();
            if i == 0 {
                w = capitalise(&w);
            }
            match self.rng.below(60) {
                0 if i > 0 => {
                    let _ = write!(s, "*{w}*");
                }
                1 if i > 0 => {
                    let _ = write!(s, "**{w}**");
                }
                2 if i > 0 && i + 1 < n => {
                    s.push_str(&w);
                    s.push(',');
                }
                _ => s.push_str(&w),
            }
        }
        s.push('.');
        s
    }

    fn paragraph(&mut self, words: usize) -> String {
        let mut p = String::new();
        let mut count = 0;
        while count < words {
            let n = self.rng.range(8, 16).min(words - count).max(4);
            if !p.is_empty() {
                p.push(' ');
            }
            p.push_str(&self.sentence(n));
            count += n;
        }
        p
    }

    fn phrase(&mut self) -> String {
        let openers = [
            "I can hear",
            "Let me",
            "I understand",
            "I'd like to",
            "Here is what I can do:",
            "Can I check",
            "Thank you for",
            "I'm sorry that",
        ];
        let mut s = self.rng.pick(&openers).to_string();
        for _ in 0..self.rng.range(6, 12) {
            s.push(' ');
            s.push_str(&self.word());
        }
        s.push_str(if self.rng.chance(30) { "?" } else { "." });
        s
    }

    fn phrases(&mut self, kind: &str, n: usize) -> String {
        let mut b = format!("```{kind}\n");
        for i in 0..n {
            if i > 0 {
                b.push('\n');
            }
            b.push_str(&self.phrase());
            b.push('\n');
        }
        b.push_str("```\n");
        b
    }

    fn list(&mut self, ordered: bool, items: usize, words: usize) -> String {
        let mut l = String::new();
        for i in 0..items {
            if ordered {
                let _ = write!(l, "{}. ", i + 1);
            } else {
                l.push_str("- ");
            }
            l.push_str(&self.sentence(words));
            l.push('\n');
        }
        l
    }

    fn table(&mut self) -> String {
        let mut t = String::from("| The customer says | You say | Why |\n|---|---|---|\n");
        for _ in 0..self.rng.range(2, 4) {
            let a = self.sentence(5);
            let b = self.sentence(6);
            let c = self.sentence(4);
            let _ = writeln!(t, "| {a} | {b} | {c} |");
        }
        t
    }

    fn quote(&mut self) -> String {
        let label = *self.rng.pick(&["Tip", "Note", "Remember", "Careful"]);
        format!("> **{label}:** {}\n", self.paragraph(18))
    }

    fn title_words(&mut self, n: usize) -> String {
        let mut s = capitalise(self.rng.pick_skewed::<&str>(&WORDS[20..]));
        for _ in 1..n {
            s.push(' ');
            s.push_str(self.rng.pick_skewed::<&str>(&WORDS[20..]));
        }
        s
    }
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

// ---- links ----------------------------------------------------------------

/// A link from `from` to `to`, written one of several ways.
fn link(rng: &mut Rng, metas: &[Meta], from: usize, to: usize) -> String {
    let (src, dst) = (&metas[from], &metas[to]);
    let rel = if src.kind == dst.kind {
        format!("{}.md", dst.slug)
    } else {
        format!("../{}/{}.md", dst.kind.dir(), dst.slug)
    };
    let anchor = rng.pick(&dst.anchors).clone();
    let label = dst.title.to_lowercase();
    let label = label.trim_end_matches('?');
    match rng.below(6) {
        0 => format!("[[{}]]", dst.slug),
        1 => format!("[[{}|{}]]", dst.slug, label),
        2 => format!("[[{}#{anchor}]]", dst.slug),
        3 => format!("[[{}/{}]]", dst.kind.dir(), dst.slug),
        4 => format!("[{label}]({rel})"),
        _ => format!("[{label}]({rel}#{anchor})"),
    }
}

// ---- pages ----------------------------------------------------------------

/// A phrase as `check` compares situations, titles and aliases: one
/// phrase may lead to one entry only.
fn phrase_key(text: &str) -> String {
    let text = text.trim().trim_end_matches(['?', '.']);
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `phrases`: every situation, title and alias written so far, by
/// [`phrase_key`]; an alias that would repeat one is drawn again.
fn front_matter(
    rng: &mut Rng,
    metas: &[Meta],
    i: usize,
    related: &[usize],
    phrases: &mut std::collections::HashSet<String>,
) -> String {
    let m = &metas[i];
    let mut t = Text { rng };
    let mut f = String::from("+++\n");
    match &m.situation {
        Some(s) => {
            let _ = writeln!(f, "situation = \"{s}\"");
        }
        None => {
            let _ = writeln!(f, "title = \"{}\"", m.title);
        }
    }
    let _ = writeln!(f, "description = \"{}\"", t.sentence(14));
    let mut tags: Vec<&str> = Vec::new();
    let n_tags = t.rng.range(2, 4);
    while tags.len() < n_tags {
        let tag = *t.rng.pick_skewed(TAGS);
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let tags: Vec<String> = tags.iter().map(|t| format!("\"{t}\"")).collect();
    let _ = writeln!(f, "tags = [{}]", tags.join(", "));
    let n_aliases = match m.shape {
        Shape::Situation => t.rng.range(1, 3),
        _ => t.rng.range(0, 2),
    };
    if n_aliases > 0 {
        let aliases: Vec<String> = (0..n_aliases)
            .map(|_| {
                loop {
                    let who = *t
                        .rng
                        .pick(&["caller", "customer", "client", "the customer"]);
                    let mut a = format!("{who} {}", t.word());
                    for _ in 0..t.rng.range(2, 5) {
                        a.push(' ');
                        a.push_str(&t.word());
                    }
                    if phrases.insert(phrase_key(&a)) {
                        break format!("\"{a}\"");
                    }
                }
            })
            .collect();
        let _ = writeln!(f, "aliases = [{}]", aliases.join(", "));
    }
    if !related.is_empty() {
        let names: Vec<String> = related
            .iter()
            .map(|&j| {
                if t.rng.chance(50) {
                    format!("\"{}\"", metas[j].slug)
                } else {
                    format!("\"{}/{}\"", metas[j].kind.dir(), metas[j].slug)
                }
            })
            .collect();
        let _ = writeln!(f, "related = [{}]", names.join(", "));
    }
    let _ = writeln!(f, "owner = \"{}\"", t.rng.pick(OWNERS));
    let day = t.rng.below(365);
    let (month, dom) = month_day(day);
    let _ = writeln!(f, "reviewed = 2025-{month:02}-{dom:02}");
    f.push_str("+++\n\n");
    f
}

fn month_day(day: usize) -> (usize, usize) {
    const LEN: [usize; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut d = day;
    for (m, len) in LEN.iter().enumerate() {
        if d < *len {
            return (m + 1, d + 1);
        }
        d -= len;
    }
    (12, 31)
}

/// Appends the links as a sentence, so each paragraph keeps its shape.
fn with_links(para: &mut String, links: &[String]) {
    if links.is_empty() {
        return;
    }
    para.push_str(" See ");
    para.push_str(&links.join(" and "));
    para.push('.');
}

fn body(rng: &mut Rng, metas: &[Meta], i: usize, links: &[String]) -> String {
    let m = &metas[i];
    let mut t = Text { rng };
    let mut b = String::new();
    // Spread the links over the sections.
    let mut pending: Vec<&[String]> = Vec::new();
    let sections = match m.shape {
        Shape::Steps => m.anchors.len() + 1,
        Shape::Card => TECH_SECTIONS.len(),
        Shape::Situation => FAQ_SECTIONS.len(),
    };
    let per = links.len().div_ceil(sections).max(1);
    let mut chunks = links.chunks(per);
    for _ in 0..sections {
        pending.push(chunks.next().unwrap_or(&[]));
    }
    match m.shape {
        Shape::Steps => {
            let mut intro = t.paragraph(45);
            with_links(&mut intro, pending[0]);
            let _ = writeln!(b, "{intro}\n");
            let steps = m.anchors.len();
            let words = 520 / steps;
            for s in 0..steps {
                let _ = writeln!(b, "## {}\n", t.title_words(4));
                let mut p = t.paragraph(words / 2);
                with_links(&mut p, pending[s + 1]);
                let _ = writeln!(b, "{p}\n");
                match t.rng.below(5) {
                    0 => {
                        let _ = writeln!(b, "{}", t.list(true, 3, words / 10));
                    }
                    1 => {
                        let _ = writeln!(b, "{}", t.table());
                    }
                    2 => {
                        let n = t.rng.range(1, 3);
                        let _ = writeln!(b, "{}", t.phrases("say", n));
                    }
                    3 => {
                        let _ = writeln!(b, "{}", t.quote());
                    }
                    _ => {
                        let _ = writeln!(b, "### {}\n", t.title_words(2));
                        let _ = writeln!(b, "{}", t.list(false, 3, words / 10));
                    }
                }
                if s + 1 < steps && t.rng.chance(25) {
                    let _ = writeln!(b, "Then go on to [the next step](#step-{}).\n", s + 2);
                }
            }
            let _ = writeln!(b, "{}", t.phrases("avoid", 1));
        }
        Shape::Card => {
            for (s, name) in TECH_SECTIONS.iter().enumerate() {
                let _ = writeln!(b, "## {name}\n");
                match s {
                    2 => {
                        let _ = writeln!(b, "{}", t.list(true, 4, 9));
                        let mut p = t.paragraph(20);
                        with_links(&mut p, pending[s]);
                        let _ = writeln!(b, "{p}\n");
                    }
                    3 => {
                        let n = t.rng.range(2, 3);
                        let _ = writeln!(b, "{}", t.phrases("say", n));
                        if t.rng.chance(50) {
                            let _ = writeln!(b, "{}", t.table());
                        }
                        if !pending[s].is_empty() {
                            let mut p = t.sentence(8);
                            with_links(&mut p, pending[s]);
                            let _ = writeln!(b, "{p}\n");
                        }
                    }
                    4 => {
                        let _ = writeln!(b, "{}", t.phrases("avoid", 1));
                        let mut p = t.paragraph(30);
                        with_links(&mut p, pending[s]);
                        let _ = writeln!(b, "{p}\n");
                        if t.rng.chance(40) {
                            let _ = writeln!(b, "{}", t.quote());
                        }
                    }
                    _ => {
                        let mut p = t.paragraph(45);
                        with_links(&mut p, pending[s]);
                        let _ = writeln!(b, "{p}\n");
                    }
                }
            }
        }
        Shape::Situation => {
            for (s, name) in FAQ_SECTIONS.iter().enumerate() {
                let _ = writeln!(b, "## {name}\n");
                match s {
                    0 => {
                        let n = t.rng.range(2, 3);
                        let _ = writeln!(b, "{}", t.phrases("say", n));
                        if !pending[s].is_empty() {
                            let mut p = t.sentence(8);
                            with_links(&mut p, pending[s]);
                            let _ = writeln!(b, "{p}\n");
                        }
                    }
                    2 => {
                        let _ = writeln!(b, "{}", t.phrases("avoid", 2));
                        let mut p = t.paragraph(25);
                        with_links(&mut p, pending[s]);
                        if t.rng.chance(30) {
                            p.push_str(" More in [what to say](#what-to-say).");
                        }
                        let _ = writeln!(b, "{p}\n");
                    }
                    3 => {
                        let _ = writeln!(b, "{}", t.list(true, 4, 9));
                        if !pending[s].is_empty() {
                            let mut p = t.sentence(6);
                            with_links(&mut p, pending[s]);
                            let _ = writeln!(b, "{p}\n");
                        }
                    }
                    4 => {
                        if pending[s].is_empty() {
                            let _ = writeln!(b, "{}\n", t.sentence(10));
                        }
                        for l in pending[s] {
                            let _ = writeln!(b, "- {l}");
                        }
                        b.push('\n');
                    }
                    _ => {
                        let mut p = t.paragraph(45);
                        with_links(&mut p, pending[s]);
                        let _ = writeln!(b, "{p}\n");
                        if t.rng.chance(30) {
                            let _ = writeln!(b, "{}", t.quote());
                        }
                    }
                }
            }
        }
    }
    b
}

fn site_toml(entries: usize, seed: u64) -> String {
    let tags: Vec<String> = TAGS.iter().map(|t| format!("\"{t}\"")).collect();
    format!(
        "# Synthetic knowledge base: {entries} entries, seed {seed}.\n\
         # Written by `cargo run --release --example gen_corpus`; do not edit.\n\
         title = \"Synthetic Knowledge Base ({entries} entries)\"\n\
         description = \"A generated knowledge base for benchmarks.\"\n\
         base_url = \"https://intranet.example/kb/\"\n\
         theme = \"default\"\n\
         language = \"en\"\n\
         review_after_days = 0\n\
         \n\
         [tags]\n\
         vocabulary = [{}]\n\
         \n\
         [search.synonyms]\n\
         sue = [\"lawyer\", \"attorney\", \"court\", \"legal action\"]\n\
         supervisor = [\"manager\", \"boss\", \"team lead\"]\n\
         angry = [\"furious\", \"hostile\", \"shouting\"]\n\
         refund = [\"money back\", \"reimburse\"]\n",
        tags.join(", ")
    )
}

struct Args {
    entries: usize,
    out: PathBuf,
    seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut entries = None;
    let mut out = None;
    let mut seed = 42;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--entries" => {
                entries = Some(
                    value()?
                        .replace('_', "")
                        .parse()
                        .map_err(|e| format!("--entries: {e}"))?,
                )
            }
            "--out" => out = Some(PathBuf::from(value()?)),
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "-h" | "--help" => {
                return Err("usage: gen_corpus --entries N --out DIR [--seed N]".into());
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let entries: usize = entries.ok_or("--entries N is required")?;
    if entries < 6 {
        return Err("--entries must be at least 6".into());
    }
    Ok(Args {
        entries,
        out: out.ok_or("--out DIR is required")?,
        seed,
    })
}

/// Refuses to touch a folder this generator did not write; clears one it did.
fn prepare(out: &Path) -> Result<(), String> {
    if out.exists() {
        let empty = fs::read_dir(out)
            .map_err(|e| format!("{}: {e}", out.display()))?
            .next()
            .is_none();
        if !empty && !out.join(MARKER).is_file() {
            return Err(format!(
                "{} is not empty and was not written by gen_corpus; choose another --out",
                out.display()
            ));
        }
        for sub in ["content", "public"] {
            let p = out.join(sub);
            if p.exists() {
                fs::remove_dir_all(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            }
        }
    }
    for kind in Kind::ALL {
        let dir = out.join("content").join(kind.dir());
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::write(out.join(MARKER), "written by gen_corpus\n").map_err(|e| e.to_string())?;
    Ok(())
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = generate(&args) {
        eprintln!("gen_corpus: {e}");
        std::process::exit(1);
    }
}

fn generate(args: &Args) -> Result<(), String> {
    let started = std::time::Instant::now();
    prepare(&args.out)?;
    let n = args.entries;
    let metas = metas(n, args.seed);
    let mut phrases: std::collections::HashSet<String> = metas
        .iter()
        .map(|m| phrase_key(m.situation.as_deref().unwrap_or(&m.title)))
        .collect();

    // Every entry links to the next one in a shuffled ring, so none is an
    // orphan; the other links go anywhere.
    let mut order: Vec<usize> = (0..n).collect();
    let mut shuffle = Rng::new(args.seed, 7);
    for i in (1..n).rev() {
        order.swap(i, shuffle.below(i + 1));
    }
    let mut next = vec![0; n];
    for w in 0..n {
        next[order[w]] = order[(w + 1) % n];
    }

    let mut words = 0usize;
    for i in 0..n {
        let mut rng = Rng::new(args.seed, i as u64);
        let mut targets = vec![next[i]];
        // A tiny corpus has fewer other entries than links to make.
        let extra = rng.range(2, 5).min(n.saturating_sub(2));
        while targets.len() < 1 + extra {
            // Half the links stay near (same topic area), half go anywhere.
            // "Near" is 50 entries either side, or half a small corpus.
            let near = if n >= 50 { 50 } else { n / 2 };
            let j = if rng.chance(50) {
                (i + n - near + rng.below(2 * near)) % n
            } else {
                rng.below(n)
            };
            if j != i && !targets.contains(&j) {
                targets.push(j);
            }
        }
        let related: Vec<usize> = (0..rng.range(0, 2))
            .map(|_| rng.below(n))
            .filter(|&j| j != i)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        // Shuffle so the ring link is not always first.
        for k in (1..targets.len()).rev() {
            targets.swap(k, rng.below(k + 1));
        }
        let links: Vec<String> = targets
            .iter()
            .map(|&j| link(&mut rng, &metas, i, j))
            .collect();
        let mut text = front_matter(&mut rng, &metas, i, &related, &mut phrases);
        let b = body(&mut rng, &metas, i, &links);
        words += b.split_whitespace().count();
        text.push_str(&b);
        let m = &metas[i];
        let path = args
            .out
            .join("content")
            .join(m.kind.dir())
            .join(format!("{}.md", m.slug));
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    fs::write(args.out.join("site.toml"), site_toml(n, args.seed)).map_err(|e| e.to_string())?;
    eprintln!(
        "gen_corpus: {n} entries ({} body words, {:.0} per entry) in {} in {} ms",
        words,
        words as f64 / n as f64,
        args.out.display(),
        started.elapsed().as_millis()
    );
    Ok(())
}
