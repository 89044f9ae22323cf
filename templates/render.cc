#include "templates/render.h"
