/* me_pages.c - a person's own page (/me): the groups they belong to and
 * their role in each, the requests to join they are waiting on, and their
 * next meetings across all their groups. */
#include "form.h"
#include "view.h"

#include "../app/meeting.h"
#include "../app/membership.h"
#include "../base/ids.h"

#include <string.h>

#define ME_MEETINGS 10

static json_t *my_group_json(wreq *r, const struct my_membership *m)
{
	return json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:o}",
		"group_id", json_id(m->group_id),
		"name", m->group_name ? m->group_name : "",
		"group_status", m->group_status ? m->group_status : "",
		"path", arena_printf(r->arena, "/groups/%lld", (long long)m->group_id),
		"role", member_role_name(m->role),
		"role_text", member_role_label(m->role),
		"joined_at", json_time(m->joined_at),
		"joined_text", json_time_text(m->joined_at));
}

static json_t *my_request_json(wreq *r, const struct my_membership *m)
{
	return json_pack("{s:o, s:s, s:s, s:o, s:o}",
		"group_id", json_id(m->group_id),
		"name", m->group_name ? m->group_name : "",
		"path", arena_printf(r->arena, "/groups/%lld", (long long)m->group_id),
		"asked_at", json_time(m->asked_at),
		"asked_text", json_time_text(m->asked_at));
}

static json_t *meeting_json(wreq *r, const struct meeting_summary *m)
{
	bool cancelled = m->status && !strcmp(m->status, "cancelled");
	return json_pack("{s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:s, s:b, s:b, s:o}",
		"id", json_id(m->id),
		"group_id", json_id(m->group_id),
		"group_name", m->group_name ? m->group_name : "",
		"group_path", arena_printf(r->arena, "/groups/%lld", (long long)m->group_id),
		"starts_at", json_time(m->starts_at),
		"starts_text", json_time_text(m->starts_at),
		"ends_at", json_time(m->ends_at),
		"status", m->status ? m->status : "scheduled",
		"cancelled", cancelled,
		"moved", m->moved_from != 0,
		"notice", json_str_or_null(m->notice));
}

static const char *me_notice(wreq *r)
{
	const char *left = query_param(r, "left");
	if (query_param(r, "requested"))
		return "Your request to join is sent. The group's facilitators will answer soon.";
	if (left && !strcmp(left, "last_facilitator"))
		return "You have left the group. You were its last facilitator, so it has none "
		       "now: the network's coordinators can ask someone to take it on.";
	if (left)
		return "You have left the group.";
	return NULL;
}

static int me_show(wreq *r)
{
	struct my_membership *mine;
	struct meeting_summary *meetings;
	size_t n, nm;
	herr e;
	herr_clear(&e);
	r->personal = true;
	if (membership_list_mine(r->db, r->arena, r->user.person_id, &mine, &n, &e) ||
	    meeting_list_upcoming_for_person(r->db, r->arena, r->user.person_id, time_now_ms(),
					     ME_MEETINGS, &meetings, &nm, &e))
		return web_fail(r, &e);
	json_t *groups = json_array(), *requests = json_array(), *upcoming = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(mine[i].status == MEMBER_ACTIVE ? groups : requests,
				      mine[i].status == MEMBER_ACTIVE ? my_group_json(r, &mine[i])
								      : my_request_json(r, &mine[i]));
	for (size_t i = 0; i < nm; i++)
		json_array_append_new(upcoming, meeting_json(r, &meetings[i]));
	json_t *model = json_pack("{s:s, s:o, s:o, s:o}",
		"display_name", r->user.display_name ? r->user.display_name : "",
		"groups", groups, "requests", requests, "meetings", upcoming);
	if (!r->want_json) {
		const char *notice = me_notice(r);
		if (notice)
			json_object_set_new(model, "notice", json_string(notice));
		json_object_set_new(model, "has_groups", json_boolean(json_array_size(groups)));
		json_object_set_new(model, "has_meetings", json_boolean(json_array_size(upcoming)));
		json_object_set_new(model, "has_requests", json_boolean(json_array_size(requests)));
	}
	return web_page(r, 200, "me", "Your groups", model);
}

/* What the API description says about this route (http/openapi.c). */
static const struct web_doc me_show_doc = {
	.summary = "Your groups, your requests to join and your next meetings",
	.response = "display_name!:string groups!:object[] requests!:object[] meetings!:object[]",
};

const struct web_route me_routes[] = {
	{ M_GET, "/me", me_show, ACCESS_SIGNED_IN, &me_show_doc },
	{ 0 }
};
