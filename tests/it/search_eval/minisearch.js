// MiniSearch set up as a careful user of it would: every field saywhen
// indexes, boosted in saywhen's proportions, BM25 (its default), typo and
// prefix matching on, and the site's synonym groups written into the query.
// Called with the documents and the groups (each a list of words or
// phrases); leaves `window.saywhenEval.rank(query, limit)` behind, and
// `expand(query)`, the query as MiniSearch is given it.
(function (docs, groups) {
  var BOOST = {
    title: 10, situation: 10, aliases: 9,
    headings: 4, tags: 4, phrases: 4,
    description: 2, body: 1
  };
  var tokenize = MiniSearch.getDefault("tokenize");
  function lower(term) { return term.toLowerCase(); }
  function words(text) { return tokenize(text).map(lower).filter(Boolean); }

  var engine = new MiniSearch({
    fields: Object.keys(BOOST),
    processTerm: lower,
    searchOptions: { boost: BOOST, fuzzy: 0.2, prefix: true }
  });
  engine.addAll(docs);

  var members = groups.map(function (group) {
    return group.map(function (m) { return { text: m, words: words(m) }; });
  });

  // A member as a sub-query: a phrase wants all its words, as in saywhen.
  function subQuery(m) {
    return m.words.length > 1 ? { combineWith: "AND", queries: [m.text] } : m.text;
  }

  function contains(haystack, needle) {
    for (var i = 0; i + needle.length <= haystack.length; i++) {
      if (needle.every(function (w, k) { return haystack[i + k] === w; })) return true;
    }
    return false;
  }

  // Each query word that is a one-word member of a group becomes
  // (word OR the group's other members); a phrase member typed in full
  // adds (the group's other members) beside the words.
  function expand(query) {
    var typed = words(query);
    var parts = typed.map(function (w) {
      var alternatives = [];
      members.forEach(function (group) {
        var self = group.filter(function (m) { return m.words.length === 1 && m.words[0] === w; });
        if (!self.length) return;
        group.forEach(function (m) { if (self.indexOf(m) < 0) alternatives.push(subQuery(m)); });
      });
      return alternatives.length ? { combineWith: "OR", queries: [w].concat(alternatives) } : w;
    });
    members.forEach(function (group) {
      var phrases = group.filter(function (m) { return m.words.length > 1 && contains(typed, m.words); });
      if (!phrases.length) return;
      var others = group.filter(function (m) { return phrases.indexOf(m) < 0; });
      parts.push({ combineWith: "OR", queries: others.map(subQuery) });
    });
    return { combineWith: "OR", queries: parts };
  }

  window.saywhenEval = {
    expand: expand,
    rank: function (query, limit) {
      return engine.search(expand(query)).slice(0, limit).map(function (r) { return r.id; });
    }
  };
})
