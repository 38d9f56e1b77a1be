/* consent.h - a person's consent to check-ins (capability C5), per purpose.
 *
 * A person is asked once. They may say no, or yes for one or more purposes:
 * their own use (taking part at all), their group's learning (their answers
 * count in the group's figures), the network's reports (in the network's
 * figures); and, separately, whether their groups' facilitators may read
 * their answers. They can change this at any time. Withdrawing clears every
 * purpose: no more check-ins are asked of them, and their answers leave
 * every group and network figure from then on (figures are always computed
 * from today's consent). Only ever about the actor themselves. */
#ifndef HEARTH_CONSENT_H
#define HEARTH_CONSENT_H

#include "../base/err.h"
#include "../store/db.h"

#include <stdbool.h>
#include <stdint.h>

struct consent {
	bool asked;                  /* a row exists: do not ask again */
	bool take_part;              /* own use: check-ins may be asked and answered */
	bool group_learning;
	bool network_reports;
	bool share_with_facilitator;
	int64_t asked_at, changed_at;
	int64_t withdrawn_at;        /* 0 unless withdrawn */
};

/* What a person chose; purposes beyond take_part need take_part. */
struct consent_choice {
	bool take_part;
	bool group_learning;
	bool network_reports;
	bool share_with_facilitator;
};

/* person_id's consent; an all-false struct (asked false) when never asked. */
int consent_get(db *d, int64_t person_id, struct consent *ret, herr *e);
/* Records the actor's answer (the first, or a change). ERR_INVALID
 * (field "take_part") when a purpose is chosen without taking part. Saying
 * yes again after withdrawing clears withdrawn_at. */
int consent_set(db *d, int64_t person_id, const struct consent_choice *c, herr *e);
/* Withdraws: every purpose off, withdrawn_at now. ERR_CONFLICT when the
 * person is not taking part. */
int consent_withdraw(db *d, int64_t person_id, herr *e);
/* ERR_CONFLICT (409) with a message saying how to take part, unless c lets
 * check-ins be answered. */
int consent_require_taking_part(const struct consent *c, herr *e);

#endif
