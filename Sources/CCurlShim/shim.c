#include "pioneer_curl.h"
