/* login_limit.c - failed-login counting and growing locks (see login_limit.h). */
#include "login_limit.h"

#include "../base/ids.h"

#include <stdio.h>

#define WINDOW_MS (15 * 60 * 1000)
#define ACCOUNT_CAP_MS (5 * 60 * 1000)
#define ADDRESS_CAP_MS (60 * 60 * 1000)

static void make_key(char *out, size_t size, const char *kind, const char *value)
{
	snprintf(out, size, "%s:%s", kind, value ? value : "");
}

/* Milliseconds the key is still locked for, 0 when free. */
static int64_t locked_for(db *d, const char *key, int64_t now)
{
	db_stmt *st = db_prepare(d, "SELECT locked_until FROM login_limit WHERE key = ?");
	if (!st)
		return 0;
	db_bind_text(st, 1, key);
	int64_t until = 0;
	if (db_step(st) == DB_ROW)
		until = db_col_int64(st, 0);
	db_reset(st);
	return until > now ? until - now : 0;
}

int login_limit_check(db *d, const char *email, const char *ip,
		      const struct login_policy *p, herr *e)
{
	char acct[300], addr[80];
	make_key(acct, sizeof acct, "acct", email);
	make_key(addr, sizeof addr, "addr", ip);
	int64_t now = time_now_ms();
	int64_t wait = locked_for(d, acct, now);
	int64_t wait_addr = locked_for(d, addr, now);
	if (wait_addr > wait)
		wait = wait_addr;
	if (wait <= 0)
		return 0;
	int rc = herr_set(e, ERR_LIMIT, NULL,
			  "There have been several unsuccessful attempts to log in. "
			  "Please wait %lld second%s and try again.",
			  (long long)((wait + 999) / 1000), wait <= 1000 ? "" : "s");
	if (e)
		e->retry_after = (int)((wait + 999) / 1000);
	return rc;
}

static int64_t lock_ms(int failures, int threshold, int64_t cap)
{
	int over = failures - threshold;
	if (over < 0)
		return 0;
	if (over > 30)
		return cap;
	int64_t ms = (int64_t)1000 << over;
	return ms < cap ? ms : cap;
}

static int count_failure(db *d, const char *key, int threshold, int64_t cap)
{
	int64_t now = time_now_ms();
	int failures = 0;
	int64_t window_start = now;
	db_stmt *st = db_prepare(d, "SELECT failures, window_start FROM login_limit WHERE key = ?");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, key);
	int rc = db_step(st);
	bool exists = rc == DB_ROW;
	if (exists && now - db_col_int64(st, 1) < WINDOW_MS) {
		failures = (int)db_col_int64(st, 0);
		window_start = db_col_int64(st, 1);
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	failures++;
	int64_t until = now + lock_ms(failures, threshold, cap);
	if (until == now)
		until = 0;
	st = db_prepare(d, exists
		? "UPDATE login_limit SET failures = ?, window_start = ?, locked_until = ? WHERE key = ?"
		: "INSERT INTO login_limit (failures, window_start, locked_until, key) VALUES (?, ?, ?, ?)");
	if (!st)
		return ERR_DB;
	db_bind_int64(st, 1, failures);
	db_bind_int64(st, 2, window_start);
	db_bind_int64(st, 3, until);
	db_bind_text(st, 4, key);
	rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int login_limit_failed(db *d, const char *email, const char *ip, const struct login_policy *p)
{
	char acct[300], addr[80];
	make_key(acct, sizeof acct, "acct", email);
	make_key(addr, sizeof addr, "addr", ip);
	int rc = db_begin_write(d);
	if (rc)
		return rc;
	rc = count_failure(d, acct, p->account_failures, ACCOUNT_CAP_MS);
	if (rc == 0)
		rc = count_failure(d, addr, p->address_failures, ADDRESS_CAP_MS);
	return db_finish(d, rc);
}

int login_limit_succeeded(db *d, const char *email)
{
	char acct[300];
	make_key(acct, sizeof acct, "acct", email);
	db_stmt *st = db_prepare(d, "DELETE FROM login_limit WHERE key = ?");
	if (!st)
		return ERR_DB;
	db_bind_text(st, 1, acct);
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}
