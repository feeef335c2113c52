#ifndef ORDERBOT_CLIBWEBSOCKETS_SHIM_H
#define ORDERBOT_CLIBWEBSOCKETS_SHIM_H

#include <libwebsockets.h>

/* LWS_PRE expands to a function-like macro expression (_LWS_PAD(...)) that Swift cannot import. */
enum { orderbot_lws_pre = LWS_PRE };

#endif
