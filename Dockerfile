# Build: docker build -t umkmbot .
# A static binary (CGO_ENABLED=0) on distroless/static, run as an unprivileged user.
# `docker run umkmbot version` prints the commit it was built from (the build
# context's .git stamps it).
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=auto -o /umkmbot ./cmd/umkmbot

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /umkmbot /umkmbot
# nonroot (65532), numeric so that a runAsNonRoot check can verify it.
USER 65532:65532
# LISTEN_ADDR: the staff dashboard, /healthz, /readyz and /metrics.
EXPOSE 8080
ENTRYPOINT ["/umkmbot"]
CMD ["serve"]
