#include "bot/title.h"
