package health

import (
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
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

// Metric names, as the README's alert rules use them.
const (
	MetricSuccess        = "sitecfg_check_success"
	MetricDuration       = "sitecfg_check_duration_seconds"
	MetricTimestamp      = "sitecfg_check_timestamp_seconds"
	MetricExpiry         = "sitecfg_credential_expiry_timestamp_seconds"
	MetricChangedOutside = "sitecfg_config_changed_outside"
	MetricSMTPEnabled    = "sitecfg_smtp_enabled"
)

// Registry holds m as Prometheus gauges.
func (m Metrics) Registry() (*prometheus.Registry, error) {
	reg := prometheus.NewRegistry()
	gauge := func(name, help string, v float64) error {
		g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
		g.Set(v)
		return reg.Register(g)
	}
	if err := gauge(MetricSuccess, "Whether the last sitecfg check passed (1) or not (0).", b2f(m.Success)); err != nil {
		return nil, err
	}
	if err := gauge(MetricDuration, "How long the last sitecfg live check took, in seconds.", m.Duration.Seconds()); err != nil {
		return nil, err
	}
	if err := gauge(MetricTimestamp, "When the last sitecfg check ran, in seconds since the Unix epoch.", float64(m.At.UnixNano())/1e9); err != nil {
		return nil, err
	}
	if err := gauge(MetricChangedOutside, "Whether the site config was edited outside sitecfg since sitecfg last wrote it (1) or not (0).", b2f(m.ChangedOutside)); err != nil {
		return nil, err
	}
	if err := gauge(MetricSMTPEnabled, "Whether the site config sends email (1) or has SMTP off (0).", b2f(m.SMTPEnabled)); err != nil {
		return nil, err
	}
	if len(m.Expiries) > 0 {
		v := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: MetricExpiry,
			Help: "When each SMTP credential of the site config stops working, in seconds since the Unix epoch."}, []string{"kind"})
		for _, x := range m.Expiries {
			v.WithLabelValues(x.Kind).Set(float64(x.At.Unix()))
		}
		if err := reg.Register(v); err != nil {
			return nil, err
		}
	}
	return reg, nil
}

// WriteTextfile writes m for the node exporter's textfile collector:
// atomically (a temporary file in the same folder, renamed), mode 0644.
func (m Metrics) WriteTextfile(path string) error {
	reg, err := m.Registry()
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	if err := prometheus.WriteToTextfile(path, reg); err != nil {
		return fmt.Errorf("write metrics to %s: %w", path, err)
	}
	return nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
