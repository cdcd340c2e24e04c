package web

// MatchAcceptLanguage is matchAcceptLanguage, for the tests of its cases.
var MatchAcceptLanguage = matchAcceptLanguage
