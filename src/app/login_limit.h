/* login_limit.h - slowing down password guessing (OWASP ASVS 2.2.1).
 *
 * Failed logins are counted per account ("acct:<email>") and per address
 * ("addr:<ip>") within a 15-minute window. Past the threshold each further
 * failure locks that key for a growing time (1 s, 2 s, 4 s, ...), capped low
 * for an account (5 minutes) so that nobody can keep another person out for
 * long, and higher for an address (1 hour). A locked key answers ERR_LIMIT
 * with the seconds to wait. A successful login clears the account's count.
 * Counts live in the database so several web nodes share them. */
#ifndef HEARTH_LOGIN_LIMIT_H
#define HEARTH_LOGIN_LIMIT_H

#include "../base/err.h"
#include "../store/db.h"

struct login_policy {
	int account_failures;   /* allowed before slowing; default 5 */
	int address_failures;   /* default 20 */
};

/* ERR_LIMIT (with e->retry_after) if either key is locked now. */
int login_limit_check(db *d, const char *email, const char *ip,
		      const struct login_policy *p, herr *e);
int login_limit_failed(db *d, const char *email, const char *ip, const struct login_policy *p);
int login_limit_succeeded(db *d, const char *email);

#endif
