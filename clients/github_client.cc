#include "clients/github_client.h"
