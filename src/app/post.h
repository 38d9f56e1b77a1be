/* post.h - a group's conversation (capability C4, clear communication):
 * announcements, threads (a discussion, an offer of help, an ask for help)
 * and their replies, in Markdown, and the threads each person muted.
 *
 * Rules (each refusal changes nothing):
 *   - the group's active members and its managers read and write; anyone
 *     else is refused (ERR_DENIED); nothing changes in a closed group
 *     (ERR_CONFLICT);
 *   - announcements are for managers (facilitators, peer support workers,
 *     coordinators, admins) only; they come first in the stream;
 *   - a thread has a title (1 to 120 characters) and a body (1 to 10,000);
 *     a reply a body (1 to 5,000); a locked thread takes no replies
 *     (ERR_CONFLICT);
 *   - no status hierarchy: a reply carries its author's name and nothing
 *     about their role;
 *   - a hidden post (moderation.h) keeps its text from everyone but the
 *     group's managers: body_md is NULL for the others. */
#ifndef HEARTH_POST_H
#define HEARTH_POST_H

#include "../base/arena.h"
#include "../base/err.h"
#include "../store/db.h"
#include "actor.h"
#include "membership.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POST_TITLE_MAX 120      /* characters */
#define POST_BODY_MAX 10000
#define POST_REPLY_MAX 5000
#define POST_THREADS_MAX 200    /* threads listed in a stream */
#define POST_REPLIES_MAX 1000   /* replies listed in a thread */
#define POST_MINUTES_MAX 20     /* minuted meetings listed in a stream */

struct post {
	int64_t id;
	int64_t group_id;
	int64_t thread_id;          /* 0 for a thread's opening post */
	const char *kind;           /* announcement, discussion, offer, ask, reply */
	const char *title;          /* "" for a reply */
	const char *body_md;        /* NULL when hidden from the reader */
	int64_t author_id;          /* 0 when the person was removed */
	const char *author_name;
	bool is_hidden;
	bool is_locked;
	bool is_muted;              /* by the reader (threads only) */
	bool is_mine;
	int reply_count;
	int64_t last_activity_at;
	int64_t created_at;
};

/* A meeting whose minutes were shared, as the stream links to it. */
struct post_minutes {
	int64_t meeting_id;
	int64_t starts_at;
};

struct post_stream {
	int64_t group_id;
	const char *group_name;
	struct post *threads;       /* announcements first, then by last activity */
	size_t n_threads;
	struct post_minutes *minutes;   /* newest first */
	size_t n_minutes;
	bool can_post;              /* a member or manager of a group not closed */
	bool can_announce;
	bool can_moderate;
};

struct post_thread {
	struct post head;
	const char *group_name;
	struct post *replies;       /* oldest first */
	size_t n_replies;
	bool can_reply;             /* may write, and the thread is not locked */
	bool can_moderate;
};

/* True for "announcement", "discussion", "offer" and "ask". */
bool post_kind_valid(const char *kind);
/* "Announcement", "Discussion", "Offer of help", "Ask for help", "Reply". */
const char *post_kind_label(const char *kind);

/* The stream of group_id as actor sees it, in the arena. */
int post_stream_get(db *d, arena *a, const struct actor *actor, int64_t group_id,
		    struct post_stream *ret, herr *e);
/* Starts a thread (or an announcement) in group_id. Fields: kind, title, body. */
int post_create_thread(db *d, const struct actor *actor, int64_t group_id, const char *kind,
		       const char *title, const char *body, int64_t *ret_id, herr *e);
/* The thread post_id belongs to (post_id may be the thread or one of its
 * replies), with its replies, as actor sees it. */
int post_thread_get(db *d, arena *a, const struct actor *actor, int64_t post_id,
		    struct post_thread *ret, herr *e);
/* Replies to thread_id (field body). */
int post_reply(db *d, const struct actor *actor, int64_t thread_id, const char *body,
	       int64_t *ret_id, herr *e);
/* Mutes or unmutes thread_id for the actor; idempotent. */
int post_set_muted(db *d, const struct actor *actor, int64_t thread_id, bool muted, herr *e);
/* One post and the actor's standing in its group, for moderation.c: ERR_NOTFOUND
 * when there is no such post; no permission check beyond reading it. */
int post_locate(db *d, arena *a, const struct actor *actor, int64_t post_id, struct post *ret,
		struct standing *ret_st, herr *e);

#endif
