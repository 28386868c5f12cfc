package health

import (
	"bytes"
	"fmt"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"sitecfg/internal/atomicfile"
)

// Metrics is the outcome of one `check`, as written for Prometheus.
type Metrics struct {
	// Success is whether the check passed (exit code 0).
	Success bool
	// Duration is how long the live check took (zero when none ran).
	Duration time.Duration
	// At is when the check ran.
	At time.Time
	// Expiries are the credentials whose expiry is known.
	Expiries []Expiry
	// ChangedOutside is whether the config was edited outside sitecfg
	// since sitecfg last wrote it (package audit's drift).
	ChangedOutside bool
	// SMTPEnabled is whether the configuration sends mail at all.
	SMTPEnabled bool
}

// Metric names, as the alert rules in docs/operations.md use them.
const (
	MetricSuccess        = "sitecfg_check_success"
	MetricDuration       = "sitecfg_check_duration_seconds"
	MetricTimestamp      = "sitecfg_check_timestamp_seconds"
	MetricExpiry         = "sitecfg_credential_expiry_timestamp_seconds"
	MetricChangedOutside = "sitecfg_config_changed_outside"
	MetricSMTPEnabled    = "sitecfg_smtp_enabled"
)

// gauge is one series: a name, its help, and its samples (one per label
// value when label is set).
type gauge struct {
	name, help, label string
	samples           []sample
}

type sample struct {
	labelValue string
	value      float64
}

// gauges are m's series, in the order they are written.
func (m Metrics) gauges() []gauge {
	gs := []gauge{
		{name: MetricSuccess, help: "Whether the last sitecfg check passed (1) or not (0).", samples: []sample{{value: b2f(m.Success)}}},
		{name: MetricDuration, help: "How long the last sitecfg live check took, in seconds.", samples: []sample{{value: m.Duration.Seconds()}}},
		{name: MetricTimestamp, help: "When the last sitecfg check ran, in seconds since the Unix epoch.", samples: []sample{{value: float64(m.At.UnixNano()) / 1e9}}},
		{name: MetricChangedOutside, help: "Whether the site config was edited outside sitecfg since sitecfg last wrote it (1) or not (0).", samples: []sample{{value: b2f(m.ChangedOutside)}}},
		{name: MetricSMTPEnabled, help: "Whether the site config sends email (1) or has SMTP off (0).", samples: []sample{{value: b2f(m.SMTPEnabled)}}},
	}
	if len(m.Expiries) > 0 {
		g := gauge{name: MetricExpiry, label: "kind",
			help: "When each SMTP credential of the site config stops working, in seconds since the Unix epoch."}
		for _, x := range m.Expiries {
			g.samples = append(g.samples, sample{labelValue: x.Kind, value: float64(x.At.Unix())})
		}
		gs = append(gs, g)
	}
	return gs
}

// Text is m in the Prometheus text exposition format, with HELP and TYPE
// on every series. The format is the Prometheus project's own encoder's
// (expfmt), fed the Prometheus data model (client_model): the same
// output as client_golang's registry, without that package's start-up
// cost (its default registry's collectors, ≈ 1 ms on every command,
// `check` included; see docs/live-check.md).
func (m Metrics) Text() ([]byte, error) {
	var buf bytes.Buffer
	for _, g := range m.gauges() {
		mf := &dto.MetricFamily{Name: new(g.name), Help: new(g.help), Type: dto.MetricType_GAUGE.Enum()}
		for _, s := range g.samples {
			metric := &dto.Metric{Gauge: &dto.Gauge{Value: new(s.value)}}
			if g.label != "" {
				metric.Label = []*dto.LabelPair{{Name: new(g.label), Value: new(s.labelValue)}}
			}
			mf.Metric = append(mf.Metric, metric)
		}
		if _, err := expfmt.MetricFamilyToText(&buf, mf); err != nil {
			return nil, fmt.Errorf("metrics: %s: %w", g.name, err)
		}
	}
	return buf.Bytes(), nil
}

// WriteTextfile writes m for the node exporter's textfile collector:
// atomically (a temporary file in the same folder, renamed), mode 0644,
// so that the collector never reads half a file.
func (m Metrics) WriteTextfile(path string) error {
	text, err := m.Text()
	if err != nil {
		return err
	}
	if err := atomicfile.WriteMode(path, text, 0o644); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	return nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
