package config

import "sitecfg/microsoft"

// The Microsoft cloud data lives in package microsoft; these names keep
// config's spelling of it.

// Cloud is a Microsoft cloud (sovereign clouds have their own endpoints).
type Cloud = microsoft.Cloud

// Microsoft clouds, as spelled in the answers file.
const (
	CloudGlobal  = microsoft.CloudGlobal
	CloudGCCHigh = microsoft.CloudGCCHigh
	CloudDoD     = microsoft.CloudDoD
	CloudChina   = microsoft.CloudChina
	officeLegacy = microsoft.LegacyHost
	officeGlobal = microsoft.GlobalSMTPHost
)

// Clouds lists the clouds in the order the wizard offers them.
var Clouds = microsoft.Clouds
