/* tx.h - write transactions for app functions that may run inside their
 * caller's: tx_begin opens one only when none is open, and tx_end finishes
 * only the one it opened. Failures fill the herr with a message a person
 * can act on. Used by meeting.c and agenda.c (an agenda change can
 * materialise meetings inside its own transaction). */
#ifndef HEARTH_TX_H
#define HEARTH_TX_H

#include "../base/err.h"
#include "../store/db.h"

#include <stdbool.h>

/* Opens a write transaction unless the caller already has one; *own says
 * whether this call opened it (pass it to tx_end). */
static inline int tx_begin(db *d, bool *own, herr *e)
{
	*own = !db_in_transaction(d);
	if (*own && db_begin_write(d))
		return herr_set(e, ERR_DB, NULL, "Could not start saving; please try again.");
	return 0;
}

/* Commits (or on rc, rolls back) a transaction tx_begin opened; returns rc,
 * or ERR_DB when the commit failed. Does nothing when own is false. */
static inline int tx_end(db *d, bool own, int rc, herr *e)
{
	if (!own)
		return rc;
	bool steps_ok = rc == 0;
	rc = db_finish(d, rc);
	if (steps_ok && rc)
		return herr_set(e, ERR_DB, NULL, "Could not save the change; please try again.");
	return rc;
}

#endif
