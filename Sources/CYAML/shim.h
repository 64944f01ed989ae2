// The system libyaml (Debian: libyaml-dev), which PioneerConfig's YAML composer reads events from.
#ifndef PIONEER_CYAML_SHIM_H
#define PIONEER_CYAML_SHIM_H
#include <yaml.h>
#endif
