# Build: docker build -t umkmbot .
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /umkmbot ./cmd/umkmbot

FROM gcr.io/distroless/static-debian12
COPY --from=build /umkmbot /umkmbot
USER nonroot
# The staff dashboard (LISTEN_ADDR).
EXPOSE 8080
ENTRYPOINT ["/umkmbot"]
CMD ["serve"]
