# Build: a static binary; the templ output and CSS are committed, so neither
# templ nor Node is needed here.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/linkhub ./cmd/linkhub

# Run: distroless, non-root. Give it LINKHUB_DATABASE_URL (see docker-compose.yml).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/linkhub /linkhub
ENV LINKHUB_HOST=0.0.0.0 LINKHUB_PORT=8080
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/linkhub"]
CMD ["serve"]
