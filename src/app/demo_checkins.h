/* demo_checkins.h - six months of consented check-ins for the demo network
 * (demo.c): every group offers the Rosenberg self-esteem scale, some the
 * ONS wellbeing questions too; most members with an account were asked,
 * some said no and some never answered; those who take part check in at
 * joining and then every six weeks, some improving, some not, a few
 * withdrawing. The demo's disclosure threshold is 5, so a facilitator of a
 * larger group sees its figures. Fictional, and the same for the same seed. */
#ifndef HEARTH_DEMO_CHECKINS_H
#define HEARTH_DEMO_CHECKINS_H

#include "../base/err.h"
#include "../store/db.h"

#include <stdint.h>

#define DEMO_CHECKINS_THRESHOLD "5"

/* Adds the check-ins to a demo network already written (groups, people,
 * memberships), relative to now (Unix ms). Runs its own write transaction. */
int demo_checkins_build(db *d, uint64_t seed, int64_t now, herr *e);

#endif
