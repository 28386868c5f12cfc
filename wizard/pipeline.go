package wizard

import "sitecfg/pipeline"

// Written says what a front end's commit wrote (see pipeline.Written).
type Written = pipeline.Written

// CommitOptions tune the commit (see pipeline.CommitOptions).
type CommitOptions = pipeline.CommitOptions
