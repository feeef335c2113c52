#ifndef ORDERBOT_CSQLITE_SHIM_H
#define ORDERBOT_CSQLITE_SHIM_H

#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast of -1 to a function pointer, which Swift cannot import. It tells
   SQLite to copy bound text and blobs, the only safe choice for Swift strings and arrays. */
static inline sqlite3_destructor_type orderbot_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

#endif
