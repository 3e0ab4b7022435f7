package main

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/diskum-tangerang/umkmbot/bot"
)

// metrics are the umkmbot_* series of /metrics, in a registry of their
// own. No label ever carries a chat id, a NIK, a phone number or a text:
// they take their values from small fixed sets (update kinds, outcomes,
// flow and Bot API method names). README.md lists them.
type metrics struct {
	reg         *prometheus.Registry
	updates     *prometheus.CounterVec
	handling    *prometheus.HistogramVec
	apiCalls    *prometheus.CounterVec
	repliesLost prometheus.Counter
	outboxSends *prometheus.CounterVec
	partitions  prometheus.Gauge
	polling     prometheus.Gauge
}

var _ bot.Metrics = (*metrics)(nil)

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "umkmbot_updates_total",
			Help: "Telegram updates taken in, by type (message, callback_query, other) and outcome (handled, undecodable, flood_dropped)."},
			[]string{"type", "outcome"}),
		handling: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "umkmbot_handling_seconds",
			Help:    "Time the conversation engine took for one update, by flow.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}},
			[]string{"flow"}),
		apiCalls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "umkmbot_telegram_api_calls_total",
			Help: "Bot API call attempts, by method and result (ok, 429, 403, 5xx, other)."},
			[]string{"method", "result"}),
		repliesLost: prometheus.NewCounter(prometheus.CounterOpts{Name: "umkmbot_replies_lost_total",
			Help: "Interactive replies given up (Telegram refused them, or retried too long)."}),
		outboxSends: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "umkmbot_outbox_sends_total",
			Help: "Outbox rows processed by the sender, by result (sent, blocked, flood_wait, retry, failed, deferred)."},
			[]string{"result"}),
		partitions: prometheus.NewGauge(prometheus.GaugeOpts{Name: "umkmbot_partitions_owned",
			Help: "Partitions of chats this replica handles now (of 16, shared by the live replicas)."}),
		polling: prometheus.NewGauge(prometheus.GaugeOpts{Name: "umkmbot_polling",
			Help: "1 while this replica holds the polling lease (polls Telegram), else 0."}),
	}
	m.reg.MustRegister(m.updates, m.handling, m.apiCalls, m.repliesLost, m.outboxSends, m.partitions, m.polling,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, o := range []string{bot.OutcomeHandled, bot.OutcomeUndecodable, bot.OutcomeFloodDropped} {
		for _, k := range []string{"message", "callback_query"} {
			m.updates.WithLabelValues(k, o) // present at 0 from the start, for rate()
		}
	}
	return m
}

// Replicas implements bot.ReplicaMetrics.
func (m *metrics) Replicas(owned int, polling bool) {
	m.partitions.Set(float64(owned))
	if polling {
		m.polling.Set(1)
	} else {
		m.polling.Set(0)
	}
}

// Update implements bot.Metrics.
func (m *metrics) Update(kind, outcome string) { m.updates.WithLabelValues(kind, outcome).Inc() }

// APICall implements bot.Metrics.
func (m *metrics) APICall(method, result string) { m.apiCalls.WithLabelValues(method, result).Inc() }

// ReplyLost implements bot.Metrics.
func (m *metrics) ReplyLost() { m.repliesLost.Inc() }

// observeFlow is flows.Config.Observe.
func (m *metrics) observeFlow(flow string, d time.Duration) {
	if flow == "" {
		flow = "none"
	}
	m.handling.WithLabelValues(flow).Observe(d.Seconds())
}

// outboxResult is outbox.Sender.Observe.
func (m *metrics) outboxResult(result string) { m.outboxSends.WithLabelValues(result).Inc() }

// gaugeSource reads one gauge from a store at scrape time.
type gaugeSource struct {
	desc *prometheus.Desc
	read func(ctx context.Context) (int64, error)
}

// storeGauges is a collector of gauges read from the stores at each
// scrape; a store that does not answer makes its gauge invalid (the rest of
// the scrape goes on).
type storeGauges []gaugeSource

func (g storeGauges) Describe(ch chan<- *prometheus.Desc) {
	for _, s := range g {
		ch <- s.desc
	}
}

func (g storeGauges) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	for _, s := range g {
		n, err := s.read(ctx)
		if err != nil {
			ch <- prometheus.NewInvalidMetric(s.desc, err)
			continue
		}
		ch <- prometheus.MustNewConstMetric(s.desc, prometheus.GaugeValue, float64(n))
	}
}

// addStoreGauges registers the outbox backlog and the dead letters kept.
func (m *metrics) addStoreGauges(backlog, deadLetters func(ctx context.Context) (int64, error)) {
	m.reg.MustRegister(storeGauges{
		{desc: prometheus.NewDesc("umkmbot_outbox_backlog",
			"Outbox rows due now and not yet sent (pending or being sent).", nil, nil), read: backlog},
		{desc: prometheus.NewDesc("umkmbot_dead_letters",
			"Updates kept as dead letters (could not be read, or made the bot panic); at most the last 1000.", nil, nil),
			read: deadLetters},
	})
}
