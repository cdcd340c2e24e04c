// Package kittest holds what the SSRF tests of kit and of the connectors
// share: a table of address tricks and a resolver answering like a hostile
// DNS server.
package kittest

import (
	"context"
	"net"
	"net/netip"
	"strings"
)

// PublicHost resolves, under Resolver, to a public address; it is the
// control case that shows a refusal is about the trick, not the test.
const PublicHost = "vendor.example.com"

// MappedPublicHost resolves to the same public address as IPv4-mapped IPv6,
// as Go's resolver answers from /etc/hosts; it must be allowed too.
const MappedPublicHost = "hosts-file.example.com"

// Resolver answers like a DNS server an attacker controls: the metadata
// names and rebinding names map to private or link-local addresses, mixed
// answers hide one private address among public ones, and any other name
// (numeric or unicode ones included, as a C resolver would read them)
// resolves to loopback. Only PublicHost is public.
type Resolver struct{}

var answers = map[string][]string{
	PublicHost:                   {"93.184.215.14"},
	"metadata.google.internal":   {"169.254.169.254"},
	"metadata.azure.com":         {"169.254.169.254"},
	"instance-data.ec2.internal": {"169.254.169.254"},
	"metadata.tencentyun.com":    {"169.254.0.23"},
	"aws-v6.example.com":         {"fd00:ec2::254"},
	"rebind.example.com":         {"10.0.0.5"},
	"mixed.example.com":          {"93.184.215.14", "192.168.1.10"},
	"mapped.example.com":         {"::ffff:127.0.0.1"},
	"mapped-private.example.com": {"::ffff:10.0.0.5"},
	"mapped-meta.example.com":    {"::ffff:169.254.169.254"},
	MappedPublicHost:             {"::ffff:93.184.215.14"},
	"cgnat.example.com":          {"100.100.100.200"},
	"zero.example.com":           {"0.0.0.0"},
	"v6any.example.com":          {"::"},
}

// LookupNetIP implements kit.Resolver.
func (Resolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	name := strings.ToLower(strings.TrimSuffix(host, "."))
	if name == "nothing.invalid" {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	ips, ok := answers[name]
	if !ok {
		ips = []string{"127.0.0.1"}
	}
	addrs := make([]netip.Addr, len(ips))
	for i, s := range ips {
		addrs[i] = netip.MustParseAddr(s)
	}
	return addrs, nil
}

// Trick is one way to write an address Linkhub must not call.
type Trick struct {
	Name string
	URL  string
}

// Tricks are the SSRF address tricks every user-given address must survive.
var Tricks = []Trick{
	{"Loopback", "https://127.0.0.1"},
	{"LoopbackOther", "https://127.0.0.2"},
	{"ShortDotted", "https://127.1"},
	{"Decimal", "https://2130706433"},
	{"Hex", "https://0x7f000001"},
	{"HexDotted", "https://0x7f.0.0.1"},
	{"Octal", "https://0177.0.0.1"},
	{"OctalWhole", "https://017700000001"},
	{"MixedNotation", "https://0x7f.00.0.1"},
	{"Zero", "https://0.0.0.0"},
	{"ZeroShort", "https://0"},
	{"IPv6Any", "https://[::]"},
	{"IPv6Loopback", "https://[::1]"},
	{"IPv4Mapped", "https://[::ffff:127.0.0.1]"},
	{"IPv4MappedHex", "https://[::ffff:7f00:1]"},
	{"IPv4MappedLong", "https://[0:0:0:0:0:ffff:127.0.0.1]"},
	{"IPv4Compatible", "https://[::127.0.0.1]"},
	{"NAT64", "https://[64:ff9b::127.0.0.1]"},
	{"IPv6LinkLocal", "https://[fe80::1]"},
	{"IPv6ZoneID", "https://[fe80::1%25eth0]"},
	{"IPv6ULA", "https://[fd00::1]"},
	{"Private10", "https://10.0.0.1"},
	{"Private172", "https://172.16.0.1"},
	{"Private192", "https://192.168.1.1"},
	{"CGNAT", "https://100.64.0.1"},
	{"Benchmark", "https://198.18.0.1"},
	{"Multicast", "https://224.0.0.1"},
	{"Broadcast", "https://255.255.255.255"},
	{"Reserved240", "https://240.0.0.1"},
	{"Metadata", "https://169.254.169.254"},
	{"MetadataPort80", "http://169.254.169.254/latest/meta-data/"},
	{"MetadataIPv6AWS", "https://[fd00:ec2::254]"},
	{"MetadataGoogle", "https://metadata.google.internal"},
	{"MetadataGoogleTrailingDot", "https://metadata.google.internal."},
	{"MetadataAzure", "https://metadata.azure.com"},
	{"MetadataAWSName", "https://instance-data.ec2.internal"},
	{"MetadataTencent", "https://metadata.tencentyun.com"},
	{"MetadataAlibaba", "https://cgnat.example.com"},
	{"MetadataAWSv6Name", "https://aws-v6.example.com"},
	{"Localhost", "https://localhost"},
	{"LocalhostUpper", "https://LOCALHOST"},
	{"LocalhostTrailingDot", "https://localhost."},
	{"LocalhostSubdomain", "https://foo.localhost"},
	{"WildcardDNS", "https://127.0.0.1.nip.io"},
	{"Rebinding", "https://rebind.example.com"},
	{"OnePrivateAmongMany", "https://mixed.example.com"},
	{"ResolvesMapped", "https://mapped.example.com"},
	{"ResolvesMappedPrivate", "https://mapped-private.example.com"},
	{"ResolvesMappedMetadata", "https://mapped-meta.example.com"},
	{"LiteralMappedPrivate", "https://[::ffff:10.0.0.5]"},
	{"ResolvesZero", "https://zero.example.com"},
	{"ResolvesIPv6Any", "https://v6any.example.com"},
	{"UserInfo", "https://x@127.0.0.1"},
	{"UserInfoPublicName", "https://" + PublicHost + "@127.0.0.1"},
	{"UserInfoPassword", "https://" + PublicHost + ":443@127.0.0.1"},
	{"FragmentAt", "https://127.0.0.1#@" + PublicHost},
	{"UnicodeDots", "https://127。0。0。1"},
	{"FullwidthDots", "https://127．0．0．1"},
	{"HalfwidthDots", "https://127｡0｡0｡1"},
	{"FullwidthDigits", "https://１２７.０.０.１"},
	{"PercentEncodedHost", "https://127%2E0%2E0%2E1"},
	{"TrailingDotIP", "https://127.0.0.1."},
	{"LongHost", "https://" + strings.Repeat("a", 250) + ".example.com"},
	{"LongLabel", "https://" + strings.Repeat("a", 64) + ".example.com"},
	{"Port80", "https://" + PublicHost + ":80"},
	{"Port8080", "https://" + PublicHost + ":8080"},
	{"Port22", "https://" + PublicHost + ":22"},
	{"Port6379", "https://" + PublicHost + ":6379"},
	{"PortZero", "https://" + PublicHost + ":0"},
	{"PortTooBig", "https://" + PublicHost + ":65979"},
	{"PlainHTTP", "http://" + PublicHost},
	{"FileScheme", "file:///etc/passwd"},
	{"GopherScheme", "gopher://127.0.0.1:6379/_INFO"},
	{"NoScheme", "//127.0.0.1"},
}
