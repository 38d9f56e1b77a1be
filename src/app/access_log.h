/* access_log.h - the record of every read of a person's sensitive data (their
 * check-in answers) by anyone other than that person: who read, whose, when
 * and why. It never holds the data that was read. People can see who read
 * their own answers. */
#ifndef HEARTH_ACCESS_LOG_H
#define HEARTH_ACCESS_LOG_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"

#include <stddef.h>
#include <stdint.h>

#define ACCESS_WHAT_CHECKINS "checkin_answers"

/* Records that reader_id read subject_id's `what` for `reason`. A read of
 * one's own data is not recorded (returns 0 and writes nothing). */
int access_log_record(db *d, int64_t reader_id, int64_t subject_id, const char *what,
		      const char *reason, herr *e);

struct access_entry {
	int64_t id;
	int64_t reader_id;            /* 0 when the reader's account is gone */
	const char *reader_name;
	const char *what;
	const char *reason;
	int64_t read_at;
};

/* The reads of subject_id's data, newest first, at most limit, in the arena. */
int access_log_for_subject(db *d, arena *a, int64_t subject_id, size_t limit,
			   struct access_entry **ret, size_t *ret_n, herr *e);

#endif
