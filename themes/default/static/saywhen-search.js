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

  // Endings of contractions that would read as other words once the
  // apostrophe is gone ("I'll" → ill, "he'll" → hell): dropped, as
  // tokenize.rs drops them.
  var CONTRACTION = /['\u2019](?:ll|re|ve|d|m)(?![\p{Alphabetic}\p{N}])/giu;

  function fold(text) {
    return text.replace(CONTRACTION, "").normalize("NFD").replace(MARKS, "").replace(/['\u2019]/g, "").toLowerCase();
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
  function useBody(body) { BODY = body; decoded = new Array(TERMS.length); memo = new Map(); }

  // ---------------------------------------------------------------------
  // Scoring: a BM25F-like model on the fields' presence (docs/search.md,
  // "Ranking"). A word counts by how rare it is (idf), the weight of the
  // field it is in, normalised by that field's length in the entry (a word
  // among twenty aliases says less than a word in a three-word title), and
  // how it matched (exact, synonym, prefix, typo).
  var FIELDS = INDEX.fields;
  var WEIGHTS = INDEX.weights;
  var NF = FIELDS.length;
  // How much a field's length counts against it: 0 not at all, 1 fully.
  var LENGTH_NORM = { title: 0.25, situation: 0.25, aliases: 0.4, headings: 0.5, tags: 0.25, phrases: 0.5, description: 0.5, body: 0.6 };
  // A field's average length over the entries that have it: most entries
  // have no description or aliases, and counting them as empty would make
  // every entry that has one look long.
  var AVG = new Array(NF).fill(0), HAVE = new Array(NF).fill(0);
  INDEX.docs.forEach(function (d) {
    for (var f = 0; f < NF; f++) if (d[6] && d[6][f]) { AVG[f] += d[6][f]; HAVE[f]++; }
  });
  for (var f0 = 0; f0 < NF; f0++) AVG[f0] = HAVE[f0] ? AVG[f0] / HAVE[f0] : 0;
  var NORM_B = FIELDS.map(function (f) { return LENGTH_NORM[f] || 0.5; });

  // Each entry's field weights divided by their length norms, worked out
  // once: scoring reads them for every posting of every query word.
  var FIELD_W = new Float64Array(N * NF);
  INDEX.docs.forEach(function (d, doc) {
    var lens = d[6];
    for (var f = 0; f < NF; f++) {
      // A short field is boosted a little at most, so a word in two
      // aliases does not outweigh the same word in a title.
      var norm = lens && AVG[f] > 0 ? Math.max(0.8, 1 - NORM_B[f] + NORM_B[f] * lens[f] / AVG[f]) : 1;
      FIELD_W[doc * NF + f] = WEIGHTS[f] / norm;
    }
  });

  // The weight of the fields in `mask` for doc `doc`: the best field's
  // plus a tenth of each other field's.
  function fieldScore(doc, mask) {
    if ((mask & (mask - 1)) === 0) return FIELD_W[doc * NF + 31 - Math.clz32(mask)];
    var best = 0, sum = 0;
    for (var f = 0; f < NF; f++) {
      if (!(mask & (1 << f))) continue;
      var w = FIELD_W[doc * NF + f];
      sum += w;
      if (w > best) best = w;
    }
    return best + 0.1 * (sum - best);
  }

  // BM25's idf: the rarer a stem, the more finding it says.
  function idf(i) {
    var df = INDEX.df[i] || 0;
    return Math.log(1 + (N - df + 0.5) / (df + 0.5));
  }
  // A stem in more than this share of entries is common: matching only
  // common words is a weak match.
  var COMMON = 0.2;
  function common(i) { return N >= 5 && (INDEX.df[i] || 0) > Math.max(2, COMMON * N); }

  // How a match counts against the exact stem the agent typed.
  var EXACT = 1, SYNONYM = 0.6, TYPO1 = 0.5, TYPO2 = 0.35;
  // A completion of the word being typed counts more the more of it is typed.
  function prefixWeight(typed, term) { return 0.5 + 0.3 * Math.min(1, typed.length / term.length); }
  // Two query words side by side in a title, situation or alias, as in
  // "take us to court": a bonus of this field weight times the rarer word's idf.
  var PHRASE = 5;

  // Terms starting with `prefix`, by binary search over the sorted list.
  function prefixTerms(prefix, limit) {
    var lo = 0, hi = TERMS.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (TERMS[mid] < prefix) lo = mid + 1; else hi = mid;
    }
    var out = [];
    for (var i = lo; i < TERMS.length && out.length < limit && TERMS[i].lastIndexOf(prefix, 0) === 0; i++) {
      if (TERMS[i].indexOf(" ") < 0) out.push(i);
    }
    return out;
  }

  // The optimal-string-alignment distance between a and b (insertions,
  // deletions, substitutions, swaps of neighbours), or max + 1 once it is
  // sure to exceed max.
  function edits(a, b, max) {
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > max) return max + 1;
    var prev2 = null, prev = new Array(lb + 1), row;
    for (var j = 0; j <= lb; j++) prev[j] = j;
    for (var i = 1; i <= la; i++) {
      row = new Array(lb + 1);
      row[0] = i;
      var low = i;
      for (j = 1; j <= lb; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        row[j] = v;
        if (v < low) low = v;
      }
      if (low > max) return max + 1;
      prev2 = prev;
      prev = row;
    }
    return prev[lb];
  }

  // Edits allowed in a word of this many letters: none below four, one up
  // to seven, two from eight.
  function allowedEdits(length) { return length >= 8 ? 2 : length >= 4 ? 1 : 0; }

  // Terms within the allowed edits of the typed word or of its stem, each
  // with its distance; the first letter is taken as typed.
  function fuzzyTerms(word, stemmed) {
    var max = allowedEdits(word.length);
    var out = [];
    if (!max) return out;
    for (var i = 0; i < TERMS.length; i++) {
      var t = TERMS[i];
      if (t[0] !== word[0] || t === stemmed || t.indexOf(" ") >= 0) continue;
      var d = Math.min(edits(t, word, max), stemmed !== word ? edits(t, stemmed, max) : max + 1);
      if (d <= max) out.push([i, d]);
    }
    return out;
  }

  // Synonym groups: each member is a list of stems. A member of several
  // words is indexed as one term, its stems joined by a space, wherever
  // they stand side by side in a field.
  var SYNONYMS = INDEX.synonyms;
  function memberTerm(member) { return TERM_ID.get(member.join(" ")); }

  // Alternatives found for a word, kept while the agent types: the words
  // before the last are the same on every keystroke.
  var memo = new Map();

  // The query as "concepts": each query word (or a multi-word synonym) with
  // the index terms that can stand for it, how much each counts, and the
  // rarity of what was typed.
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
      var key = (tok.last ? "~" : "") + toks.slice(i, i + span).map(function (t) { return t.word; }).join(" ");
      var concept = memo.get(key);
      if (!concept) {
        concept = conceptOf(tok, matched, span === 1 ? null : toks.slice(i, i + span));
        if (memo.size > 500) memo.clear();
        memo.set(key, concept);
      }
      if (concept.alts.length || !tok.stop) concepts.push(concept);
      i += span - 1;
    }
    var exactKey = toks.filter(function (t) { return !t.stop; }).map(function (t) { return t.stem; })
      .filter(function (s) { return !FILLER.has(s); }).join(" ");
    return { concepts: concepts, exactKey: exactKey };
  }

  // One concept: `tok` is its (first) word, `matched` the synonym member
  // it begins, `span` the words of a multi-word member.
  function conceptOf(tok, matched, span) {
    var alts = []; // {terms: [termId...], weight, kind}
    var seen = new Map(); // terms → their alternative
    // The same terms found two ways count the better way.
    function add(ids, weight, kind) {
      if (!ids.length) return;
      var key = ids.join(","), known = seen.get(key);
      if (!known) { known = { terms: ids, weight: weight, kind: kind }; seen.set(key, known); alts.push(known); }
      else if (weight > known.weight) { known.weight = weight; known.kind = kind; }
    }
    // A member as the terms it matches by: its own term when it is one word
    // or was indexed as a phrase; otherwise all its words anywhere.
    function memberAlts(member, weight, kind) {
      if (member.length === 1) {
        if (TERM_ID.has(member[0])) add([TERM_ID.get(member[0])], weight, kind);
        return;
      }
      var phrase = memberTerm(member);
      if (phrase !== undefined) add([phrase], weight, kind);
    }
    var typed = null; // the term of exactly what was typed
    if (matched) {
      memberAlts(matched.member, EXACT, "exact");
      typed = alts.length ? alts[0].terms[0] : null;
      matched.group.forEach(function (member) { if (member !== matched.member) memberAlts(member, SYNONYM, "synonym"); });
      if (span) {
        // The member's words apart, anywhere in the entry: weaker than the phrase.
        var apart = [];
        span.forEach(function (t) { if (TERM_ID.has(t.stem)) apart.push(TERM_ID.get(t.stem)); });
        if (apart.length === span.length) add(apart, SYNONYM, "words");
      }
    } else if (!tok.stop && TERM_ID.has(tok.stem)) {
      typed = TERM_ID.get(tok.stem);
      add([typed], EXACT, "exact");
    }
    if (!span) {
      if (tok.last) {
        // A one- or two-letter prefix begins too many words to weigh them
        // all on every keystroke: take the first few.
        var many = tok.word.length < 3 ? 10 : 40;
        prefixTerms(tok.word, many).concat(tok.stem !== tok.word ? prefixTerms(tok.stem, many) : [])
          .forEach(function (t) { add([t], prefixWeight(tok.word, TERMS[t]), "prefix"); });
      }
      // A word the index knows is taken as meant, unless only one entry
      // has it: a slip can land on a rare real word ("sue" → "due").
      if (!tok.stop && (typed === null || INDEX.df[typed] <= 1)) {
        fuzzyTerms(tok.word, tok.stem).forEach(function (td) { add([td[0]], td[1] === 1 ? TYPO1 : TYPO2, "typo"); });
      }
      // A word the index does not know may be a known stem with a slip in
      // its ending ("collectons" → `collect`): the longest stem of four
      // letters or more it begins with, missing at most four letters. For
      // the word still being typed it is a completion: typing goes past
      // the stem ("threatenin", "recognis") before the word is whole.
      if (!tok.stop && typed === null) {
        for (var len = tok.word.length - 1; len >= Math.max(4, tok.word.length - 4); len--) {
          var head = TERM_ID.get(tok.word.slice(0, len));
          if (head === undefined) continue;
          if (tok.last) add([head], prefixWeight(TERMS[head], tok.word), "prefix");
          else add([head], TYPO2, "typo");
          break;
        }
      }
    }
    // What a match through another term may count at most: the idf of what
    // was typed, so a rarer synonym or a near-miss never outweighs it.
    var cap = typed !== null ? idf(typed) : Infinity;
    var rarity = typed !== null ? idf(typed) : 0;
    alts.forEach(function (a) {
      var own = Math.min.apply(null, a.terms.map(idf));
      a.idf = a.kind === "exact" ? own : Math.min(own, cap);
      if (typed === null) rarity = Math.max(rarity, a.idf);
      a.common = a.terms.every(common);
    });
    var stems = span ? span.map(function (t) { return t.stem; }) : [tok.stem];
    var filler = stems.every(function (s) { return FILLER.has(s); });
    return { alts: alts, rarity: rarity, stems: stems, typed: typed, filler: filler };
  }

  // The stems of each exact key of doc d (title, situation, aliases), split once.
  var KEYS = new Array(N);
  function keysOf(d) {
    if (!KEYS[d]) KEYS[d] = INDEX.docs[d][4].map(function (k) { return k ? k.split(" ") : []; });
    return KEYS[d];
  }

  // Whether stems a then b stand side by side (or one word apart) in one
  // of doc d's titles, situation or aliases.
  function adjacent(d, a, b) {
    return keysOf(d).some(function (key) {
      for (var k = 0; k < key.length; k++) {
        if (key[k] !== a) continue;
        if (key[k + 1] === b || key[k + 2] === b) return true;
      }
      return false;
    });
  }

  // Ranked results: [{doc, score, matched: [termId...], typed: the
  // matched terms the agent typed as they are, alias, exact, strong}]; the
  // list's `weak` says nothing matched well. The page makes sets of the
  // term lists of the results it shows.
  function search(query, filters) {
    var q = analyse(query);
    var byDoc = new Map();
    var ALIAS_BIT = 1 << FIELDS.indexOf("aliases");
    // The fields the exact keys are made of, where the phrase bonus looks.
    var KEY_BITS = ALIAS_BIT | 1 << FIELDS.indexOf("title") | 1 << FIELDS.indexOf("situation");
    var rarityTotal = 0, many = q.concepts.length > 1;
    q.concepts.forEach(function (c) { rarityTotal += c.rarity; });
    q.concepts.forEach(function (c, ci) {
      // Per doc, the concept's best match: {score, alt, alias, keyed, and
      // the alternatives matched: one, or a list}.
      var best = new Map();
      function offer(doc, score, alt, mask) {
        var cur = best.get(doc);
        var alias = (mask & ALIAS_BIT) !== 0, keyed = (mask & KEY_BITS) !== 0;
        if (!cur) {
          best.set(doc, { score: score, alt: alt, alts: alt, alias: alias, keyed: keyed });
          return;
        }
        // Every matched term is kept for highlighting; the best one scores.
        if (!Array.isArray(cur.alts)) { if (cur.alts !== alt) cur.alts = [cur.alts, alt]; }
        else if (cur.alts.indexOf(alt) < 0) cur.alts.push(alt);
        cur.alias = cur.alias || alias;
        if (score > cur.score) { cur.score = score; cur.alt = alt; cur.keyed = keyed; }
      }
      c.alts.forEach(function (alt) {
        var w = alt.idf * alt.weight;
        if (alt.terms.length === 1) {
          var p = postings(alt.terms[0]);
          for (var k = 0; k < p.length; k += 2) offer(p[k], w * fieldScore(p[k], p[k + 1]), alt, p[k + 1]);
          return;
        }
        // Docs having every term of the alternative; the score is the weakest.
        var acc = null;
        alt.terms.forEach(function (t) {
          var p = postings(t), next = new Map();
          for (var k = 0; k < p.length; k += 2) {
            var doc = p[k], mask = p[k + 1];
            if (acc && !acc.has(doc)) continue;
            var prev = acc ? acc.get(doc) : null;
            var s = w * fieldScore(doc, mask);
            next.set(doc, { score: prev ? Math.min(prev.score, s) : s, mask: (prev ? prev.mask : 0) | mask });
          }
          acc = next;
        });
        acc.forEach(function (v, doc) { offer(doc, v.score, alt, v.mask); });
      });
      best.forEach(function (v, doc) {
        var r = byDoc.get(doc);
        if (!r) { r = { doc: doc, score: 0, covered: 0, matched: [], typed: [], alias: false, by: null, strong: false }; byDoc.set(doc, r); }
        r.score += v.score;
        r.covered += c.rarity;
        r.alias = r.alias || v.alias;
        if (v.keyed && many) { if (!r.by) r.by = []; r.by[ci] = v.alt; }
        // Strong evidence: an uncommon word matched as typed, by a synonym
        // or as the completion of the word being typed; or a word typed as
        // it is in a title, situation or alias ("customer" and its like
        // aside, which nearly every situation has).
        if (v.alt.kind !== "typo" && !v.alt.common) r.strong = true;
        if (v.alt.kind === "exact" && v.keyed && !c.filler && c.stems.join("").length >= 3) r.strong = true;
        var alts = Array.isArray(v.alts) ? v.alts : [v.alts];
        for (var k = 0; k < alts.length; k++) for (var j = 0; j < alts[k].terms.length; j++) r.matched.push(alts[k].terms[j]);
        if (v.alt.kind === "exact") for (k = 0; k < v.alt.terms.length; k++) r.typed.push(v.alt.terms[k]);
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
      // How much of the query the entry covers, weighed by rarity: missing
      // a rare word costs more than missing a common one.
      var coverage = rarityTotal > 0 ? r.covered / rarityTotal : 1;
      r.score *= 0.5 + 0.5 * coverage;
      for (var k = 0; r.by && k + 1 < q.concepts.length; k++) {
        var a = r.by[k], b = r.by[k + 1];
        if (a && b && a.kind === "exact" && b.kind === "exact" &&
            adjacent(r.doc, q.concepts[k].stems[q.concepts[k].stems.length - 1], q.concepts[k + 1].stems[0])) {
          r.score += PHRASE * Math.min(a.idf, b.idf);
        }
      }
      r.strong = r.exact > 0 || (r.strong && coverage >= 0.5);
      // Expired entries (status 2) sink below every current one.
      r.expired = d[5] === 2 ? 1 : 0;
      results.push(r);
    });
    results.sort(function (a, b) {
      return (a.expired - b.expired) || (b.exact - a.exact) || (b.score - a.score) || (a.doc - b.doc);
    });
    results.weak = results.length > 0 && !results[0].strong;
    return results;
  }
  api.search = search;
  api.analyse = analyse;

  // The rest shows results on the search page; without one (the check
  // command runs this script in an embedded engine) it has nothing to do.
  if (typeof document === "undefined") return;

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
    '<span class="status status-expired"><span class="status-icon" aria-hidden="true">✗</span> Expired</span>',
    '<span class="status status-due"><span class="status-icon" aria-hidden="true">!</span> Not yet reviewed</span>'
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

  // Term ids as a set, a phrase term ("legal action") with each of its
  // words, so the words are highlighted and counted where they stand.
  function termSet(ids) {
    var set = new Set();
    ids.forEach(function (id) {
      set.add(id);
      if (TERMS[id].indexOf(" ") >= 0) {
        TERMS[id].split(" ").forEach(function (s) { if (TERM_ID.has(s)) set.add(TERM_ID.get(s)); });
      }
    });
    return set;
  }

  // How many of the result's matched terms `text` holds, each counted
  // once, a word the agent typed as it is counting twice: a phrase with
  // the typed word beats one with a synonym of it.
  function termsIn(text, r) {
    var found = new Map();
    words(text).forEach(function (w) {
      var id = termOf(w);
      if (id !== undefined && r.matched.has(id)) found.set(id, r.typed.has(id) ? 2 : 1);
    });
    var n = 0;
    found.forEach(function (v) { n += v; });
    return n;
  }

  // The index of the text in `list` holding the most query terms, the
  // earlier on a tie; -1 when none holds any.
  function bestOf(list, r) {
    var at = -1, most = 0;
    for (var i = 0; i < list.length; i++) {
      var n = termsIn(list[i], r);
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
  // The results on screen, for the beacon that says which was opened.
  var listed = [];
  // Results shown for a weak match.
  var WEAK_SHOWN = 5;
  // Results drawn at first, and at most: laying out fifty results on
  // every keystroke is most of what an agent waits for, and the first few
  // are what they read. A button draws the rest for this query.
  var FIRST_SHOWN = 20, MOST_SHOWN = 50;
  var showAll = false, shownFor = null;
  var more = document.createElement("button");
  more.type = "button";
  more.id = "search-more";
  more.className = "search-more";
  more.hidden = true;
  list.insertAdjacentElement("afterend", more);
  more.addEventListener("click", function () {
    showAll = true;
    render();
    var next = list.querySelectorAll("li > a")[FIRST_SHOWN];
    if (next) next.focus();
  });

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
    var found = q.trim() ? search(q, filters) : [];
    // When nothing matches well, a long list of entries that each share a
    // common word with the query helps nobody: the closest few, said so.
    var weak = found.weak === true;
    var key = q + "\u0000" + filters.kind + "\u0000" + filters.tag;
    if (key !== shownFor) { showAll = false; shownFor = key; }
    var total = Math.min(found.length, weak ? WEAK_SHOWN : MOST_SHOWN);
    var results = found.slice(0, showAll ? total : Math.min(total, FIRST_SHOWN));
    results.forEach(function (r) { r.matched = termSet(r.matched); r.typed = termSet(r.typed); });
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
        shown[2][Math.max(0, bestOf(shown[2], r))] : null;
      html += '<p class="snippet">' + snippet(r, shown, say) + "</p>";
      // A playbook shows the step the query matches best, if one does.
      var step = shown ? bestOf(shown[4], r) : -1;
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
    listed = results;
    if (status) {
      status.textContent = !q.trim() ? "" : results.length === 0 ? "No entries match. Try other words, or browse the A–Z." :
        weak ? "Nothing matches “" + q.trim() + "” closely. The closest situations:" :
        total + (total === 1 ? " entry" : " entries");
      status.classList.toggle("search-weak", weak);
    }
    more.hidden = results.length >= total;
    more.textContent = "Show " + (total - results.length) + " more";
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

  // Query beacons, only with `[search] log_queries` (docs/search.md,
  // "Search gaps"): the query, digits masked, in the address of a static
  // file, for the web server's own access log. Nothing is stored, no
  // cookie or referrer goes with it, and nothing is sent from a file.
  var LOG = INDEX.log_queries === true && /^https?:$/.test(location.protocol);
  var pause = null, sent = null;
  function masked() { return input.value.trim().replace(/\s+/g, " ").replace(/\p{N}+/gu, "#").slice(0, 100); }
  function beacon(params) {
    if (typeof fetch !== "function") return;
    fetch(root + "search/q.gif?" + new URLSearchParams(params), {
      credentials: "omit", cache: "no-store", keepalive: true, referrerPolicy: "no-referrer"
    }).catch(function () {});
  }
  function searched() {
    clearTimeout(pause);
    var q = masked();
    if (q.length >= 2 && q !== sent) { sent = q; beacon({ q: q }); }
  }
  if (LOG) {
    input.addEventListener("input", function () { clearTimeout(pause); pause = setTimeout(searched, 1500); });
    list.addEventListener("click", function (event) {
      var a = event.target.closest("a");
      var at = a ? links().indexOf(a) : -1;
      if (at < 0 || masked().length < 2) return;
      searched();
      var d = INDEX.docs[listed[at].doc];
      beacon({ q: masked(), open: d[1], rank: at + 1 });
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
