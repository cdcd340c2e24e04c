package web

// MatchAcceptLanguage is matchAcceptLanguage, for the tests of its cases.
var MatchAcceptLanguage = matchAcceptLanguage

// LocalSpec is localSpec, for the test of which text the hub shows.
var LocalSpec = localSpec
