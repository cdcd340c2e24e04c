# Linkhub. `make run` and `make test` work on a fresh clone with Go and the
# PostgreSQL server binaries installed; nothing else to set up.
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: run build test fuzz bench bench-go generate css check fmt lint vuln sec clean

run: ## run Linkhub on http://localhost:8080 with its embedded PostgreSQL
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/linkhub serve

build: ## build bin/linkhub
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o bin/linkhub ./cmd/linkhub

test: ## run every test against a throwaway PostgreSQL (and, later, Chromium)
	$(GO) test -race -count=1 -timeout 30m ./...

# Budgets are executions, not seconds: a -fuzztime duration races Go's fuzzing
# coordinator at its deadline and fails with a bare "context deadline exceeded"
# on a loaded machine (golang/go#75804). Each count is about five seconds here;
# FUZZSCALE multiplies them all.
FUZZSCALE ?= 1
fuzzx = $(shell echo $$(( $(1) * $(FUZZSCALE) )))x
fuzz: ## run each fuzz target for a fixed number of executions (seed corpora live in testdata/fuzz)
	$(GO) test -run '^$$' -fuzz '^FuzzOpen$$' -fuzztime $(call fuzzx,200000) ./internal/secret/
	$(GO) test -run '^$$' -fuzz '^FuzzJamfNormalizeURL$$' -fuzztime $(call fuzzx,6000) ./internal/connector/engine/
	$(GO) test -run '^$$' -fuzz '^FuzzCreateSession$$' -fuzztime $(call fuzzx,20000) ./internal/linking/
	$(GO) test -run '^$$' -fuzz '^FuzzConnectSessionJSON$$' -fuzztime $(call fuzzx,5000) ./web/
	$(GO) test -run '^$$' -fuzz '^FuzzProfileForm$$' -fuzztime $(call fuzzx,1000) ./web/
	$(GO) test -run '^$$' -fuzz '^FuzzVendorMetadata$$' -fuzztime $(call fuzzx,5000) ./internal/connector/

BENCHTIME ?= 10s
bench: ## load scenarios against a bare echo baseline in the same run -> BENCHMARKS.md
	$(GO) run ./cmd/bench -duration $(BENCHTIME) -out BENCHMARKS.md

bench-go: ## Go micro-benchmarks of the hot paths (seal/open, URL normalising, token cache, page render, host API token/proxy/action)
	$(GO) test -run '^$$' -bench . -benchmem ./internal/secret/ ./internal/connector/ ./internal/connector/engine/ ./views/
	$(GO) test -run '^$$' -bench 'BenchmarkAPI_|BenchmarkHub_' -benchmem ./web/

generate: ## regenerate templ components
	$(GO) tool templ generate

css: ## rebuild static/css/app.css (needs npm)
	npm install --no-audit --no-fund
	npx tailwindcss -i static/css/input.css -o static/css/app.css --minify

fmt:
	gofmt -w $$(git ls-files '*.go')
	$(GO) tool templ fmt views

lint:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

vuln: ## govulncheck against the offline database in ../shared
	@d=$$(mktemp -d) && tar -xzf ../shared/vulndb.tar.gz -C $$d && \
	  $(GO) tool govulncheck -db "file://$$(dirname $$(find $$d -maxdepth 3 -type d -name index | head -1))" ./...

# cmd/bench is excluded: a developer's load tool, not part of the shipped
# binary, that starts local processes and writes reports by design. Every
# other exception is a `#nosec Gxxx -- reason` next to the code.
sec: ## gosec static security scan
	$(GO) tool gosec -quiet -exclude-dir=cmd/bench ./...

clean:
	rm -rf bin
