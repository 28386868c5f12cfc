module a.sitecfg.invalid/initfirst

go 1.26.8
