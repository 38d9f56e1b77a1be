/* me_pages.c - a person's own page (/me): the groups they belong to and
 * their role in each, the requests to join they are waiting on, their next
 * meetings across all their groups, and a gentle invitation to check-ins:
 * the one question about taking part while it is unanswered and one of
 * their groups offers check-ins, then any check-in that is due. */
#include "form.h"
#include "view.h"

#include "../app/checkin.h"
#include "../app/consent.h"
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

/* Whether any of the person's active groups offers a check-in. */
static int groups_offer_checkins(wreq *r, const struct my_membership *mine, size_t n, bool *ret,
				 herr *e)
{
	*ret = false;
	for (size_t i = 0; i < n && !*ret; i++) {
		struct checkin_offering *offers;
		size_t no;
		if (mine[i].status != MEMBER_ACTIVE)
			continue;
		int rc = checkin_offerings(r->db, r->arena, mine[i].group_id, &offers, &no, e);
		if (rc)
			return rc;
		*ret = no > 0;
	}
	return 0;
}

/* {ask, due[]}: ask while the person has never answered the question about
 * taking part and a group of theirs offers check-ins; due lists what is
 * ready for them when they take part. Never a requirement: only links. */
static int checkins_json(wreq *r, const struct my_membership *mine, size_t n, json_t **ret, herr *e)
{
	struct consent c;
	struct checkin_due *due = NULL;
	size_t nd = 0;
	bool offered = false;
	int rc = consent_get(r->db, r->user.person_id, &c, e);
	if (!rc && !c.asked)
		rc = groups_offer_checkins(r, mine, n, &offered, e);
	if (!rc && c.take_part)
		rc = checkin_due_in_groups(r->db, r->arena, r->user.person_id, time_now_ms(), mine, n,
					   &due, &nd, e);
	if (rc)
		return rc;
	json_t *list = json_array();
	for (size_t i = 0; i < nd; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}",
			"group_name", due[i].group_name ? due[i].group_name : "",
			"instrument_name", due[i].in->name,
			"why", checkin_due_text(due[i].why),
			"path", arena_printf(r->arena, "/groups/%lld/check-ins/%s",
					     (long long)due[i].group_id, due[i].in->id)));
	*ret = json_pack("{s:b, s:o}", "ask", !c.asked && offered, "due", list);
	return 0;
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
	    meeting_list_upcoming_for_person(r->db, r->arena, r->user.person_id, mine, n,
					     time_now_ms(), ME_MEETINGS, &meetings, &nm, &e))
		return web_fail(r, &e);
	json_t *check_ins;
	if (checkins_json(r, mine, n, &check_ins, &e))
		return web_fail(r, &e);
	json_t *groups = json_array(), *requests = json_array(), *upcoming = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(mine[i].status == MEMBER_ACTIVE ? groups : requests,
				      mine[i].status == MEMBER_ACTIVE ? my_group_json(r, &mine[i])
								      : my_request_json(r, &mine[i]));
	for (size_t i = 0; i < nm; i++)
		json_array_append_new(upcoming, meeting_json(r, &meetings[i]));
	json_t *model = json_pack("{s:s, s:o, s:o, s:o, s:o}",
		"display_name", r->user.display_name ? r->user.display_name : "",
		"groups", groups, "requests", requests, "meetings", upcoming, "check_ins", check_ins);
	if (!r->want_json) {
		const char *notice = me_notice(r);
		if (notice)
			json_object_set_new(model, "notice", json_string(notice));
		json_object_set_new(model, "has_groups", json_boolean(json_array_size(groups)));
		json_object_set_new(model, "has_due",
				    json_boolean(json_array_size(json_object_get(check_ins, "due"))));
		json_object_set_new(model, "has_meetings", json_boolean(json_array_size(upcoming)));
		json_object_set_new(model, "has_requests", json_boolean(json_array_size(requests)));
	}
	return web_page(r, 200, "me", "Your groups", model);
}

/* What the API description says about this route (http/openapi.c). */
static const struct web_doc me_show_doc = {
	.summary = "Your groups, your requests to join, your next meetings and check-ins ready for you",
	.response = "display_name!:string groups!:object[] requests!:object[] meetings!:object[] "
		    "check_ins!:object",
};

const struct web_route me_routes[] = {
	{ M_GET, "/me", me_show, ACCESS_SIGNED_IN, &me_show_doc },
	{ 0 }
};
