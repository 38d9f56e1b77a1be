/* consent.c - a person's consent to check-ins (see consent.h). */
#include "consent.h"

#include "../base/ids.h"

int consent_get(db *d, int64_t person_id, struct consent *ret, herr *e)
{
	*ret = (struct consent){ 0 };
	db_stmt *st = db_prepare(d, "SELECT take_part, group_learning, network_reports, "
				    "share_with_facilitator, asked_at, changed_at, withdrawn_at "
				    "FROM checkin_consent WHERE person_id = ?");
	if (!st)
		return herr_set(e, ERR_DB, NULL, "Could not read your check-in choices.");
	db_bind_int64(st, 1, person_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		ret->asked = true;
		ret->take_part = db_col_bool(st, 0);
		ret->group_learning = db_col_bool(st, 1);
		ret->network_reports = db_col_bool(st, 2);
		ret->share_with_facilitator = db_col_bool(st, 3);
		ret->asked_at = db_col_int64(st, 4);
		ret->changed_at = db_col_int64(st, 5);
		ret->withdrawn_at = db_col_int64(st, 6);
	}
	db_reset(st);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not read your check-in choices.");
	return 0;
}

static int write_consent(db *d, int64_t person_id, const struct consent_choice *c, bool withdraw,
			 herr *e)
{
	int64_t now = time_now_ms();
	int rc = db_begin_write(d);
	db_stmt *st = rc ? NULL : db_prepare(d,
		"INSERT INTO checkin_consent (person_id, take_part, group_learning, network_reports, "
		"share_with_facilitator, asked_at, changed_at, withdrawn_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
		"ON CONFLICT (person_id) DO UPDATE SET take_part = excluded.take_part, "
		"group_learning = excluded.group_learning, network_reports = excluded.network_reports, "
		"share_with_facilitator = excluded.share_with_facilitator, "
		"changed_at = excluded.changed_at, withdrawn_at = excluded.withdrawn_at");
	if (!rc && !st)
		rc = ERR_DB;
	if (!rc) {
		db_bind_int64(st, 1, person_id);
		db_bind_bool(st, 2, c->take_part);
		db_bind_bool(st, 3, c->group_learning);
		db_bind_bool(st, 4, c->network_reports);
		db_bind_bool(st, 5, c->share_with_facilitator);
		db_bind_int64(st, 6, now);
		db_bind_int64(st, 7, now);
		if (withdraw)
			db_bind_int64(st, 8, now);
		else
			db_bind_null(st, 8);
		rc = db_step(st);
		db_reset(st);
		if (rc > 0)
			rc = 0;
	}
	rc = db_finish(d, rc);
	if (rc < 0)
		return herr_set(e, rc, NULL, "Could not save your check-in choices.");
	return 0;
}

int consent_set(db *d, int64_t person_id, const struct consent_choice *c, herr *e)
{
	if (!c->take_part && (c->group_learning || c->network_reports || c->share_with_facilitator))
		return herr_set(e, ERR_INVALID, "take_part",
				"To let your answers help your group or the network, or to share "
				"them, first choose to take part in check-ins.");
	return write_consent(d, person_id, c, false, e);
}

int consent_withdraw(db *d, int64_t person_id, herr *e)
{
	struct consent now;
	int rc = consent_get(d, person_id, &now, e);
	if (rc)
		return rc;
	if (!now.take_part)
		return herr_set(e, ERR_CONFLICT, NULL,
				"You are not taking part in check-ins, so there is nothing to withdraw.");
	return write_consent(d, person_id, &(struct consent_choice){ 0 }, true, e);
}

int consent_require_taking_part(const struct consent *c, herr *e)
{
	if (c->take_part)
		return 0;
	if (c->withdrawn_at)
		return herr_set(e, ERR_CONFLICT, NULL,
				"You withdrew from check-ins, so none are asked of you. You can "
				"take part again from your check-in choices (/me/check-ins/consent).");
	return herr_set(e, ERR_CONFLICT, NULL,
			"Check-ins are only for people who have chosen to take part. You can "
			"choose on your check-in choices page (/me/check-ins/consent).");
}
