// saywhen search: runs entirely in the page, on the index written at build
// time (search/index.js). No framework, no request outside the site's own
// files, and it works from file:// because the index is a script, not JSON.
//
// The query is analysed exactly as the index was: lower-case, accents
// folded, apostrophes dropped, stop words removed (the list comes from the
// index), British spellings folded to American ones, Snowball English
// (Porter2) stems. docs/search.md documents the ranking.
(function () {
  "use strict";

  // ---------------------------------------------------------------------
  // Porter2 (Snowball English) stemmer, the algorithm rust-stemmers runs at
  // build time. The browser tests compare the two on the whole vocabulary.
  var EXCEPTIONS1 = {
    skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie",
    idly: "idl", gently: "gentl", ugly: "ugli", early: "earli", only: "onli", singly: "singl",
    sky: "sky", news: "news", howe: "howe", atlas: "atlas", cosmos: "cosmos", bias: "bias", andes: "andes"
  };
  var EXCEPTIONS2 = ["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"];

  function isVowel(c) { return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y"; }
  function hasVowel(s) { for (var i = 0; i < s.length; i++) { if (isVowel(s[i])) return true; } return false; }
  function ends(w, s) { return w.length >= s.length && w.slice(w.length - s.length) === s; }

  // Start of the region after the first non-vowel following a vowel.
  function region(w, from) {
    for (var i = from; i < w.length - 1; i++) {
      if (isVowel(w[i]) && !isVowel(w[i + 1])) return i + 2;
    }
    return w.length;
  }

  // Ends in a short syllable: non-vowel, vowel, non-vowel other than w, x, Y;
  // or the whole word is vowel + non-vowel.
  function shortSyllable(w) {
    var n = w.length;
    if (n >= 3 && !isVowel(w[n - 3]) && isVowel(w[n - 2]) && !isVowel(w[n - 1]) &&
        w[n - 1] !== "w" && w[n - 1] !== "x" && w[n - 1] !== "Y") return true;
    return n === 2 && isVowel(w[0]) && !isVowel(w[1]);
  }

  // The longest of `list` that `w` ends with, or "".
  function longest(w, list) {
    var best = "";
    for (var i = 0; i < list.length; i++) {
      if (list[i].length > best.length && ends(w, list[i])) best = list[i];
    }
    return best;
  }

  var STEP2 = {
    tional: "tion", enci: "ence", anci: "ance", abli: "able", entli: "ent", izer: "ize", ization: "ize",
    ational: "ate", ation: "ate", ator: "ate", alism: "al", aliti: "al", alli: "al", fulness: "ful",
    ousli: "ous", ousness: "ous", iveness: "ive", iviti: "ive", biliti: "ble", bli: "ble", ogi: "og",
    fulli: "ful", lessli: "less", li: ""
  };
  var STEP3 = { tional: "tion", ational: "ate", alize: "al", icate: "ic", iciti: "ic", ical: "ic", ful: "", ness: "", ative: "" };
  var STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion"];

  function porter2(word) {
    var w = word;
    if (Object.prototype.hasOwnProperty.call(EXCEPTIONS1, w)) return EXCEPTIONS1[w];
    if (w.length < 3) return w;
    if (w[0] === "'") w = w.slice(1);
    if (w[0] === "y") w = "Y" + w.slice(1);
    w = w.replace(/([aeiouy])y/g, "$1Y");

    var r1 = /^(gener|commun|arsen)/.test(w) ? w.match(/^(gener|commun|arsen)/)[0].length : region(w, 0);
    var r2 = region(w, r1);

    // Step 0
    var s = longest(w, ["'s'", "'s", "'"]);
    if (s) w = w.slice(0, -s.length);

    // Step 1a
    if (ends(w, "sses")) {
      w = w.slice(0, -2);
    } else if (ends(w, "ied") || ends(w, "ies")) {
      w = w.slice(0, -3) + (w.length > 4 ? "i" : "ie");
    } else if (ends(w, "us") || ends(w, "ss")) {
      // unchanged
    } else if (ends(w, "s")) {
      if (hasVowel(w.slice(0, -2))) w = w.slice(0, -1);
    }
    if (EXCEPTIONS2.indexOf(w) >= 0) return w.replace(/Y/g, "y");

    // Step 1b
    s = longest(w, ["eed", "eedly", "ed", "edly", "ing", "ingly"]);
    if (s === "eed" || s === "eedly") {
      if (w.length - s.length >= r1) w = w.slice(0, -s.length) + "ee";
    } else if (s) {
      var pre = w.slice(0, -s.length);
      if (hasVowel(pre)) {
        w = pre;
        if (ends(w, "at") || ends(w, "bl") || ends(w, "iz")) {
          w += "e";
        } else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) {
          w = w.slice(0, -1);
        } else if (r1 === w.length && shortSyllable(w)) {
          w += "e";
        }
      }
    }

    // Step 1c
    if (w.length > 2 && (ends(w, "y") || ends(w, "Y")) && !isVowel(w[w.length - 2])) {
      w = w.slice(0, -1) + "i";
    }

    // Step 2
    s = longest(w, Object.keys(STEP2));
    if (s && w.length - s.length >= r1) {
      var base = w.slice(0, -s.length);
      if (s === "ogi") {
        if (ends(base, "l")) w = base + "og";
      } else if (s === "li") {
        if (/[cdeghkmnrt]$/.test(base)) w = base;
      } else {
        w = base + STEP2[s];
      }
    }

    // Step 3
    s = longest(w, Object.keys(STEP3));
    if (s && w.length - s.length >= r1) {
      if (s === "ative") {
        if (w.length - s.length >= r2) w = w.slice(0, -s.length);
      } else {
        w = w.slice(0, -s.length) + STEP3[s];
      }
    }

    // Step 4
    s = longest(w, STEP4);
    if (s && w.length - s.length >= r2) {
      if (s === "ion") {
        if (/[st]ion$/.test(w)) w = w.slice(0, -3);
      } else {
        w = w.slice(0, -s.length);
      }
    }

    // Step 5
    if (ends(w, "e")) {
      var before = w.slice(0, -1);
      if (before.length >= r2 || (before.length >= r1 && !shortSyllable(before))) w = before;
    } else if (ends(w, "l")) {
      if (w.length - 1 >= r2 && ends(w.slice(0, -1), "l")) w = w.slice(0, -1);
    }
    return w.replace(/Y/g, "y");
  }

  // ---------------------------------------------------------------------
  // British spellings folded to American ones before stemming, the same
  // rules as src/search/spelling.rs (which says why each is as it is).
  var SPELLING_WORDS = {
    aluminium: "aluminum", cheque: "check", cheques: "checks", cosy: "cozy", defence: "defense",
    defences: "defenses", grey: "gray", greys: "grays", jewellery: "jewelry", judgement: "judgment",
    judgements: "judgments", kerb: "curb", licence: "license", licences: "licenses",
    manoeuvre: "maneuver", manoeuvres: "maneuvers", mould: "mold", offence: "offense",
    offences: "offenses", plough: "plow", practise: "practice", practised: "practiced",
    practises: "practices", practising: "practicing", programme: "program", programmes: "programs",
    pyjamas: "pajamas", sceptic: "skeptic", sceptical: "skeptical", scepticism: "skepticism",
    storey: "story", storeys: "stories", tyre: "tire", tyres: "tires"
  };
  var SPELLING_RULES = [
    [["isational", "isations", "isation", "ising", "isers", "ised", "iser", "ises", "ise"], "is", "iz", 3],
    [["ysing", "ysers", "ysed", "yser", "yses", "yse"], "ys", "yz", 2],
    [["ourites", "ourable", "ourably", "ourless", "ourite", "ouring", "ourful", "oured", "ourer", "ours", "our"], "our", "or", 3],
    [["tres", "tre"], "tre", "ter", 2],
    [["bres", "bre"], "bre", "ber", 2],
    [["logues", "logue"], "logue", "log", 2]
  ];
  var DOUBLE_L = ["llers", "llors", "lling", "lled", "ller", "llor"];

  function vowelCount(s) { var n = 0; for (var i = 0; i < s.length; i++) if ("aeiou".indexOf(s[i]) >= 0) n++; return n; }

  function spelling(word) {
    if (Object.prototype.hasOwnProperty.call(SPELLING_WORDS, word)) return SPELLING_WORDS[word];
    for (var r = 0; r < SPELLING_RULES.length; r++) {
      var rule = SPELLING_RULES[r];
      for (var e = 0; e < rule[0].length; e++) {
        var ending = rule[0][e];
        if (ends(word, ending)) {
          var base = word.slice(0, word.length - ending.length);
          return Array.from(base).length >= rule[3] ? base + rule[2] + ending.slice(rule[1].length) : word;
        }
      }
    }
    for (var d = 0; d < DOUBLE_L.length; d++) {
      if (ends(word, DOUBLE_L[d])) {
        var before = word.slice(0, word.length - DOUBLE_L[d].length);
        return vowelCount(before) >= 2 ? before + DOUBLE_L[d].slice(1) : word;
      }
    }
    return word;
  }

  function stem(word) { return porter2(spelling(word)); }

  // ---------------------------------------------------------------------
  // Tokenizer: the same steps as src/search/tokenize.rs.
  var MARKS = /\p{M}/gu;
  var SPLIT = /[^\p{Alphabetic}\p{N}]+/u;

  function fold(text) {
    return text.normalize("NFD").replace(MARKS, "").replace(/['\u2019]/g, "").toLowerCase();
  }

  function words(text) {
    return fold(text).split(SPLIT).filter(function (w) { return w.length > 0; });
  }

  // ---------------------------------------------------------------------
  // The index.
  var INDEX = window.SAYWHEN_SEARCH;
  var api = { stem: stem, words: words, lastMs: null };
  window.saywhenSearch = api;
  if (!INDEX) return;

  var STOP = new Set(INDEX.stop);
  var FILLER = new Set(INDEX.filler);
  var TERMS = INDEX.terms;
  var TERM_ID = new Map();
  TERMS.forEach(function (t, i) { TERM_ID.set(t, i); });
  var N = INDEX.docs.length;
  var decoded = new Array(TERMS.length);
  // Postings of stems an entry holds only in its body arrive later, in
  // search/body.js; until then search ranks on every other field.
  var BODY = window.SAYWHEN_BODY || null;

  function decode(raw, into) {
    var doc = 0;
    for (var k = 0; k < raw.length; k++) {
      doc += Math.floor(raw[k] / 256);
      into.push(doc, raw[k] % 256);
    }
    return into;
  }

  // Postings of term i as [doc, mask, doc, mask, ...], in doc order,
  // decoded on first use.
  function postings(i) {
    if (decoded[i]) return decoded[i];
    var head = decode(INDEX.postings[i], []);
    var out = head;
    if (BODY && BODY[i].length) {
      var body = decode(BODY[i], []);
      out = [];
      var a = 0, b = 0;
      while (a < head.length || b < body.length) {
        if (b >= body.length || (a < head.length && head[a] < body[b])) { out.push(head[a], head[a + 1]); a += 2; }
        else { out.push(body[b], body[b + 1]); b += 2; }
      }
    }
    decoded[i] = out;
    return out;
  }
  api.bodyLoaded = function () { return BODY !== null; };
  function useBody(body) { BODY = body; decoded = new Array(TERMS.length); }

  // The weight of the best field in `mask`, plus a little for each other field.
  var FIELD_WEIGHT = new Array(256);
  for (var m = 0; m < 256; m++) {
    var best = 0, extra = 0;
    for (var b = 0; b < INDEX.weights.length; b++) {
      if (m & (1 << b)) {
        var wgt = INDEX.weights[b];
        if (wgt > best) { extra += best; best = wgt; } else { extra += wgt; }
      }
    }
    FIELD_WEIGHT[m] = best + 0.1 * extra;
  }
  var ALIAS_BIT = 1 << INDEX.fields.indexOf("aliases");

  function idf(i) { return Math.log(1 + N / (INDEX.df[i] || 1)); }

  // Terms starting with `prefix`, by binary search over the sorted list.
  function prefixTerms(prefix, limit) {
    var lo = 0, hi = TERMS.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (TERMS[mid] < prefix) lo = mid + 1; else hi = mid;
    }
    var out = [];
    for (var i = lo; i < TERMS.length && out.length < limit && TERMS[i].lastIndexOf(prefix, 0) === 0; i++) out.push(i);
    return out;
  }

  // True when a and b differ by at most one insertion, deletion,
  // substitution or swap of neighbours.
  function withinOneEdit(a, b) {
    if (a === b) return true;
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  function fuzzyTerms(word) {
    var out = [];
    for (var i = 0; i < TERMS.length; i++) {
      var t = TERMS[i];
      if (Math.abs(t.length - word.length) <= 1 && t[0] === word[0] && withinOneEdit(t, word)) out.push(i);
    }
    return out;
  }

  // Synonym groups: each member is a list of stems.
  var SYNONYMS = INDEX.synonyms;

  // The query as "concepts": each query word (or a multi-word synonym) with
  // the index terms that can stand for it and how much each counts.
  function analyse(query) {
    var all = words(query);
    var typingLast = !/[\s.,;:!?]$/.test(query);
    var toks = [];
    all.forEach(function (w, i) {
      var last = i === all.length - 1 && typingLast;
      if (STOP.has(w) && !last) return;
      if (STOP.has(w) && last && w.length < 3) return;
      toks.push({ word: w, stem: stem(w), last: last, stop: STOP.has(w) });
    });
    var concepts = [];
    for (var i = 0; i < toks.length; i++) {
      var matched = null;
      // A synonym member made of the stems at this position (longest first).
      SYNONYMS.forEach(function (group) {
        group.forEach(function (member) {
          if (member.length > (matched ? matched.member.length : 0) && i + member.length <= toks.length &&
              member.every(function (s, k) { return toks[i + k].stem === s; })) {
            matched = { group: group, member: member };
          }
        });
      });
      var span = matched ? matched.member.length : 1;
      var tok = toks[i];
      var alts = []; // {terms: [termId...], weight}
      var seen = new Set();
      function add(ids, weight) {
        var key = ids.join(",");
        if (ids.length && !seen.has(key)) { seen.add(key); alts.push({ terms: ids, weight: weight }); }
      }
      function ids(stems) {
        var out = [];
        for (var k = 0; k < stems.length; k++) {
          if (!TERM_ID.has(stems[k])) return [];
          out.push(TERM_ID.get(stems[k]));
        }
        return out;
      }
      if (matched) {
        add(ids(matched.member), 1);
        matched.group.forEach(function (member) { add(ids(member), 0.8); });
      } else if (!tok.stop) {
        add(ids([tok.stem]), 1);
      }
      if (span === 1) {
        if (tok.last) {
          // A one- or two-letter prefix begins too many words to weigh them
          // all on every keystroke: take the first few.
          var many = tok.word.length < 3 ? 10 : 40;
          prefixTerms(tok.word, many).concat(tok.stem !== tok.word ? prefixTerms(tok.stem, many) : [])
            .forEach(function (t) { add([t], 0.8); });
        }
        if (tok.word.length >= 5) {
          fuzzyTerms(tok.stem).concat(fuzzyTerms(tok.word)).forEach(function (t) { add([t], 0.6); });
        }
      }
      if (alts.length || !tok.stop) concepts.push({ alts: alts, text: toks.slice(i, i + span).map(function (t) { return t.word; }).join(" ") });
      i += span - 1;
    }
    var key = toks.filter(function (t) { return !t.stop; }).map(function (t) { return t.stem; })
      .filter(function (s) { return !FILLER.has(s); }).join(" ");
    return { concepts: concepts, exactKey: key };
  }

  // Ranked results: [{doc, score, matched: Set(termId), aliasHit: bool}].
  function search(query, filters) {
    var q = analyse(query);
    var byDoc = new Map();
    q.concepts.forEach(function (c, ci) {
      var best = new Map(); // doc -> {score, terms, alias}
      c.alts.forEach(function (alt) {
        // Docs having every term of the alternative; score is the weakest.
        var acc = null;
        alt.terms.forEach(function (t) {
          var p = postings(t), w = idf(t) * alt.weight, next = new Map();
          for (var k = 0; k < p.length; k += 2) {
            var doc = p[k], mask = p[k + 1];
            if (acc && !acc.has(doc)) continue;
            var prev = acc ? acc.get(doc) : null;
            var s = w * FIELD_WEIGHT[mask];
            next.set(doc, {
              score: prev ? Math.min(prev.score, s) : s,
              terms: (prev ? prev.terms : []).concat([t]),
              alias: (prev ? prev.alias : false) || (mask & ALIAS_BIT) !== 0
            });
          }
          acc = next;
        });
        if (!acc) return;
        acc.forEach(function (v, doc) {
          var cur = best.get(doc);
          if (!cur || v.score > cur.score) best.set(doc, v);
          else if (cur) { v.terms.forEach(function (t) { if (cur.terms.indexOf(t) < 0) cur.terms.push(t); }); }
        });
      });
      best.forEach(function (v, doc) {
        var r = byDoc.get(doc);
        if (!r) { r = { doc: doc, score: 0, hits: 0, matched: new Set(), alias: false }; byDoc.set(doc, r); }
        r.score += v.score;
        r.hits += 1;
        r.alias = r.alias || v.alias;
        v.terms.forEach(function (t) { r.matched.add(t); });
      });
    });
    var results = [];
    byDoc.forEach(function (r) {
      var d = INDEX.docs[r.doc];
      // 2: the query is the entry's own title (d[4][0]); 1: another of its
      // keys, an alias; 0: no exact match.
      var at = q.exactKey === "" ? -1 : d[4].indexOf(q.exactKey);
      r.exact = at === 0 ? 2 : at > 0 ? 1 : 0;
      if (filters && filters.kind && INDEX.kinds[d[2]] !== filters.kind) return;
      if (filters && filters.tag && d[3].indexOf(INDEX.tags.indexOf(filters.tag)) < 0) return;
      results.push(r);
    });
    // Expired entries (status 2) sink below every current one.
    var expired = function (r) { return INDEX.docs[r.doc][5] === 2 ? 1 : 0; };
    results.sort(function (a, b) {
      return (expired(a) - expired(b)) || (b.exact - a.exact) || (b.hits - a.hits) || (b.score - a.score) || (a.doc - b.doc);
    });
    return results;
  }
  api.search = search;
  api.analyse = analyse;

  // ---------------------------------------------------------------------
  // Showing results.
  var root = document.body.getAttribute("data-root") || "";
  var input = document.getElementById("search-page-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var kindSelect = document.getElementById("search-kind");
  var tagSelect = document.getElementById("search-tag");
  if (!input || !list) return;

  var STATUS_BADGES = [
    '<span class="status status-verified"><span class="status-icon" aria-hidden="true">✓</span> Verified</span>',
    '<span class="status status-due"><span class="status-icon" aria-hidden="true">!</span> Review due</span>',
    '<span class="status status-expired"><span class="status-icon" aria-hidden="true">✗</span> Expired</span>'
  ];

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  var WORD = /[\p{Alphabetic}\p{N}'\u2019\p{M}]+/gu;

  // `text` as HTML with the words whose stems matched wrapped in <mark>.
  function highlight(text, matched) {
    var out = "", last = 0, m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      var w = fold(m[0]);
      var id = w ? termOf(w) : undefined;
      var hit = id !== undefined && matched.has(id);
      out += escapeHtml(text.slice(last, m.index));
      out += hit ? "<mark>" + escapeHtml(m[0]) + "</mark>" : escapeHtml(m[0]);
      last = m.index + m[0].length;
    }
    return out + escapeHtml(text.slice(last));
  }

  // The term id of a folded word, remembered: snippets stem the same
  // words over and over while an agent types.
  var TERM_OF = new Map();
  function termOf(w) {
    if (TERM_OF.has(w)) return TERM_OF.get(w);
    var id = TERM_ID.get(stem(w));
    TERM_OF.set(w, id);
    return id;
  }

  function hits(text, matched) {
    var n = 0;
    words(text).forEach(function (w) { var id = termOf(w); if (id !== undefined && matched.has(id)) n++; });
    return n;
  }

  // How many of the query's terms `text` holds, each counted once.
  function termsIn(text, matched) {
    var found = new Set();
    words(text).forEach(function (w) { var id = termOf(w); if (id !== undefined && matched.has(id)) found.add(id); });
    return found.size;
  }

  // The index of the text in `list` holding the most query terms, the
  // earlier on a tie; -1 when none holds any.
  function bestOf(list, matched) {
    var at = -1, most = 0;
    for (var i = 0; i < list.length; i++) {
      var n = termsIn(list[i], matched);
      if (n > most) { at = i; most = n; }
    }
    return at;
  }

  // The sentence of the entry's description, say-phrases (bar `say`, shown
  // on its own) or text that matches the query best; `shown` is the
  // entry's [text, description, say-phrases, aliases, steps].
  function snippet(r, shown, say) {
    if (!shown) return "";
    var candidates = [shown[1]]
      .concat(shown[2].filter(function (p) { return p !== say; }))
      .concat(shown[0].split(/(?<=[.!?])\s+/));
    var best = candidates[0] || "", bestHits = hits(best, r.matched);
    for (var i = 1; i < candidates.length; i++) {
      var h = hits(candidates[i], r.matched);
      if (h > bestHits) { best = candidates[i]; bestHits = h; }
    }
    if (best.length > 220) best = best.slice(0, 217).replace(/\s+\S*$/, "") + "…";
    return highlight(best, r.matched);
  }

  var texts = window.SAYWHEN_TEXT || (window.SAYWHEN_TEXT = {});
  var loading = {};
  function loadText(shard, then) {
    if (texts[shard] || loading[shard]) return;
    loading[shard] = true;
    var s = document.createElement("script");
    s.src = root + "search/text-" + shard + ".js";
    s.onload = then;
    document.head.appendChild(s);
  }

  var current = { q: null, kind: "", tag: "" };

  // The body postings: asked for at once, used as soon as they arrive.
  if (!BODY) {
    var bodyScript = document.createElement("script");
    bodyScript.src = root + "search/body.js";
    bodyScript.onload = function () {
      useBody(window.SAYWHEN_BODY);
      if (input.value.trim()) render();
    };
    document.head.appendChild(bodyScript);
  }

  function render() {
    var started = performance.now();
    var q = input.value;
    var filters = { kind: kindSelect ? kindSelect.value : "", tag: tagSelect ? tagSelect.value : "" };
    var results = q.trim() ? search(q, filters).slice(0, 50) : [];
    var html = "";
    var missing = {};
    results.forEach(function (r, n) {
      var d = INDEX.docs[r.doc];
      var shard = Math.floor(r.doc / INDEX.shard);
      var shown = texts[shard] ? texts[shard][r.doc % INDEX.shard] : null;
      if (!texts[shard]) missing[shard] = true;
      var kind = INDEX.kinds[d[2]];
      html += '<li class="search-result kind-' + kind + (d[5] === 2 ? " result-expired" : "") + '" id="result-' + n + '">';
      html += '<a href="' + escapeHtml(root + d[1]) + '">' + highlight(d[0], r.matched) + "</a>";
      html += ' <span class="kind-badge kind-' + kind + '">' + escapeHtml(INDEX.kind_labels[d[2]]) + "</span>";
      html += " " + STATUS_BADGES[d[5]];
      if (r.alias && shown) {
        var bestAlias = null, bestHits = 0;
        shown[3].forEach(function (a) { var h = hits(a, r.matched); if (h > bestHits) { bestAlias = a; bestHits = h; } });
        if (bestAlias && bestHits >= hits(d[0], r.matched)) {
          html += '<p class="result-alias">Matched “' + highlight(bestAlias, r.matched) + "”</p>";
        }
      }
      // Kinds whose title is a situation answer it with the say-phrase
      // that matches the query best (the first when none does).
      var say = INDEX.kind_derives_title && INDEX.kind_derives_title[d[2]] && shown && shown[2].length ?
        shown[2][Math.max(0, bestOf(shown[2], r.matched))] : null;
      html += '<p class="snippet">' + snippet(r, shown, say) + "</p>";
      // A playbook shows the step the query matches best, if one does.
      var step = shown ? bestOf(shown[4], r.matched) : -1;
      if (step >= 0) {
        html += '<p class="result-step">Step ' + (step + 1) + ": " + highlight(shown[4][step], r.matched) + "</p>";
      }
      if (say) {
        html += '<figure class="phrase phrase-say result-say"><figcaption><span class="phrase-icon" aria-hidden="true">✓</span> Say</figcaption>' +
          '<blockquote class="phrase-text">' + highlight(say, r.matched) + "</blockquote>" +
          '<button type="button" class="copy" aria-label="Copy this phrase">Copy</button></figure>';
      }
      html += "</li>";
    });
    list.innerHTML = html;
    if (status) {
      status.textContent = !q.trim() ? "" : results.length === 0 ? "No entries match. Try other words, or browse the A–Z." :
        results.length + (results.length === 1 ? " entry" : " entries");
    }
    api.lastMs = performance.now() - started;
    // For benchmarks: the time the last query took, search and drawing.
    list.setAttribute("data-ms", api.lastMs.toFixed(1));
    Object.keys(missing).forEach(function (shard) {
      loadText(shard, function () { if (input.value === q) render(); });
    });
  }

  // URL state: typing replaces the current history entry; a query that has
  // stood for a moment (or was confirmed with a click or Enter) is kept, so
  // Back returns to it.
  var committed = true, idle = null;
  function urlFor() {
    var p = new URLSearchParams();
    if (input.value) p.set("q", input.value);
    if (kindSelect && kindSelect.value) p.set("kind", kindSelect.value);
    if (tagSelect && tagSelect.value) p.set("tag", tagSelect.value);
    var s = p.toString();
    return location.pathname + (s ? "?" + s : "");
  }
  function record() {
    var url = urlFor();
    if (url === location.pathname + location.search) return;
    if (committed) history.pushState({ saywhen: true }, "", url); else history.replaceState({ saywhen: true }, "", url);
    committed = false;
    clearTimeout(idle);
    idle = setTimeout(function () { committed = true; }, 1000);
  }
  function fromUrl() {
    var p = new URLSearchParams(location.search);
    input.value = p.get("q") || "";
    if (kindSelect) kindSelect.value = p.get("kind") || "";
    if (tagSelect) tagSelect.value = p.get("tag") || "";
    render();
  }

  if (tagSelect) {
    INDEX.tags.forEach(function (t) {
      var o = document.createElement("option");
      o.value = t; o.textContent = t;
      tagSelect.appendChild(o);
    });
  }

  input.addEventListener("input", function () { render(); record(); });
  [kindSelect, tagSelect].forEach(function (el) {
    if (el) el.addEventListener("change", function () { render(); committed = true; record(); committed = true; });
  });
  window.addEventListener("popstate", fromUrl);
  input.form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    committed = true;
    if (first) first.click();
  });

  // Arrow keys move between the search box and the results.
  function links() { return Array.prototype.slice.call(list.querySelectorAll("li > a")); }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var all = links();
    if (!all.length) return;
    var at = all.indexOf(document.activeElement);
    if (document.activeElement === input) {
      if (event.key === "ArrowDown") { event.preventDefault(); all[0].focus(); }
      return;
    }
    if (at < 0) return;
    event.preventDefault();
    if (event.key === "ArrowDown") all[Math.min(at + 1, all.length - 1)].focus();
    else if (at === 0) input.focus();
    else all[at - 1].focus();
  });
  list.addEventListener("click", function (event) {
    if (event.target.closest("a")) { committed = true; history.replaceState({ saywhen: true }, "", urlFor()); }
  });

  // Lets tests wait for a query to be kept in history instead of sleeping.
  api.committed = function () { return committed; };

  fromUrl();
  if (!input.value) input.focus();
})();
