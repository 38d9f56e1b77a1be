/* template.c - the mustache-subset template engine (see template.h).
 *
 * tmpl_set_add() compiles a source once into a flat list of ops (text,
 * variable, raw variable, section, inverted section, partial); a section op
 * records the index just past its body, so rendering is a loop over a range
 * of ops that recurses only into section bodies and partials. All text and
 * names of a template live in one pool owned by the template. After the adds,
 * a set is never written again, and rendering keeps its state (the context
 * stack, the partial depth) on the caller's stack, so any number of threads
 * may render from one set at once.
 *
 * Where this is stricter or smaller than Mustache: names are letters,
 * digits, '_' and '-' joined by '.'; delimiters cannot be changed; a
 * standalone partial's indentation is dropped rather than applied to each
 * of its lines; sections nest at most 64 deep in one template; adding a
 * second template under a name already in the set is ERR_CONFLICT; and a
 * value tag inside an HTML tag but outside quotes is a compile error (see
 * html_step below). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include "template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	MAX_PARTIAL_DEPTH = 32,
	/* Bounds the render recursion of one template; real pages nest 3 or 4. */
	MAX_SECTION_DEPTH = 64,
};

enum op_kind {
	OP_TEXT,
	OP_VAR,       /* {{x}}: HTML-escaped */
	OP_RAW,       /* {{{x}}} and {{&x}} */
	OP_SECTION,   /* {{#x}} */
	OP_INVERTED,  /* {{^x}} */
	OP_PARTIAL,   /* {{>x}} */
};

struct op {
	enum op_kind kind;
	unsigned line;     /* of the tag, for render-time errors */
	/* Name ops: the parts of a dotted name sit NUL-separated in the pool
	 * from off, nparts of them; nparts is 0 for {{.}}. A partial's name is
	 * one part. OP_TEXT: the text is pool[off, off + len). */
	size_t off, len;
	unsigned nparts;
	size_t end;        /* sections: index of the first op after the body */
};

struct tmpl {
	char *name;
	char *pool;
	struct op *ops;
	size_t nops;
};

struct tmpl_set {
	struct tmpl *v;
	size_t n, cap;
};

tmpl_set *tmpl_set_new(void)
{
	return calloc(1, sizeof(tmpl_set));
}

static void tmpl_free_fields(struct tmpl *t)
{
	free(t->name);
	free(t->pool);
	free(t->ops);
}

void tmpl_set_free(tmpl_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		tmpl_free_fields(&s->v[i]);
	free(s->v);
	free(s);
}

/* A set holds a few dozen templates, so a linear search costs less than the
 * hashing would. */
static const struct tmpl *find_tmpl(const tmpl_set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}

bool tmpl_set_has(const tmpl_set *s, const char *name)
{
	return s && name && find_tmpl(s, name);
}

/* ---- compiling ---- */

/* Where the text before a tag leaves us in HTML, for the one check escaping
 * cannot cover: a value inside a tag but outside quotes (<a href={{x}}>) can
 * add attributes (x = "x onclick=alert(1)") however it is escaped. It reads
 * the template's literal text only, character by character, so it is a lint
 * on trusted sources, not a parser: text inside sections counts as if
 * always rendered, a partial starts outside any tag, and <script>, <style>
 * and <textarea> bodies are read like any other text (a "<b" in a script
 * counts as a tag, which only makes the check stricter). */
enum html_state {
	H_TEXT,
	H_LT,         /* just after '<': a value here would name the tag */
	H_TAG,        /* inside <name ...>, outside quotes */
	H_DQ,         /* inside a "..." attribute value */
	H_SQ,         /* inside a '...' attribute value */
	H_BANG,       /* "<!" */
	H_BANG_DASH,  /* "<!-" */
	H_COMMENT,    /* inside <!-- ... */
	H_COMMENT_D,  /* "-" in a comment */
	H_COMMENT_DD, /* "--" in a comment */
};

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static enum html_state html_step(enum html_state st, char c)
{
	switch (st) {
	case H_TEXT:
		return c == '<' ? H_LT : H_TEXT;
	case H_LT:
		if (is_alpha(c) || c == '/' || c == '?')
			return H_TAG;
		if (c == '!')
			return H_BANG;
		return c == '<' ? H_LT : H_TEXT;
	case H_BANG:
		if (c == '-')
			return H_BANG_DASH;
		return c == '>' ? H_TEXT : H_TAG;   /* <!DOCTYPE ...> */
	case H_BANG_DASH:
		return c == '-' ? H_COMMENT : H_TAG;
	case H_COMMENT:
		return c == '-' ? H_COMMENT_D : H_COMMENT;
	case H_COMMENT_D:
		return c == '-' ? H_COMMENT_DD : H_COMMENT;
	case H_COMMENT_DD:
		if (c == '>')
			return H_TEXT;
		return c == '-' ? H_COMMENT_DD : H_COMMENT;
	case H_TAG:
		if (c == '>')
			return H_TEXT;
		if (c == '"')
			return H_DQ;
		return c == '\'' ? H_SQ : H_TAG;
	case H_DQ:
		return c == '"' ? H_TAG : H_DQ;
	case H_SQ:
		return c == '\'' ? H_TAG : H_SQ;
	}
	return st;
}

struct compiler {
	const char *name;   /* the template's, for messages */
	const char *src;
	size_t len;
	herr *e;
	buf pool;
	struct op *ops;
	size_t nops, cap;
	enum html_state html;
	/* Whether the last op is text that more text may extend: not once a
	 * tag other than a comment has come between. */
	bool text_open;
	struct {
		size_t op;       /* index of the section op */
		size_t name;     /* pool offset of its name as written */
		size_t namelen;
	} open[MAX_SECTION_DEPTH];
	int nopen;
};

static int compile_oom(struct compiler *c)
{
	return herr_set(c->e, ERR_NOMEM, NULL, "template \"%s\": out of memory", c->name);
}

static struct op *push_op(struct compiler *c, enum op_kind kind, unsigned line)
{
	if (c->nops == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct op *ops = realloc(c->ops, cap * sizeof *ops);
		if (!ops)
			return NULL;
		c->ops = ops;
		c->cap = cap;
	}
	struct op *o = &c->ops[c->nops++];
	*o = (struct op){ .kind = kind, .line = line };
	return o;
}

static int add_text(struct compiler *c, size_t from, size_t to, unsigned line)
{
	for (size_t i = from; i < to; i++)
		c->html = html_step(c->html, c->src[i]);
	if (from == to)
		return 0;
	struct op *last = c->nops ? &c->ops[c->nops - 1] : NULL;
	bool join = c->text_open && last && last->kind == OP_TEXT
		&& last->off + last->len == c->pool.len;
	c->text_open = true;
	buf_append(&c->pool, c->src + from, to - from);
	if (c->pool.oom)
		return compile_oom(c);
	if (join) {
		last->len += to - from;
		return 0;
	}
	struct op *o = push_op(c, OP_TEXT, line);
	if (!o)
		return compile_oom(c);
	o->off = c->pool.len - (to - from);
	o->len = to - from;
	return 0;
}

static bool is_name_char(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Checks a value or section name ("." or dot-separated parts of letters,
 * digits, '_' and '-') and stores it in the pool with each '.' made a NUL,
 * so lookups can hand the parts straight to json_object_get. */
static int add_name(struct compiler *c, struct op *o, const char *s, size_t n, unsigned line)
{
	if (n == 1 && s[0] == '.') {
		o->nparts = 0;
		o->off = c->pool.len;
		buf_putc(&c->pool, '\0');
		return c->pool.oom ? compile_oom(c) : 0;
	}
	unsigned parts = 1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (i == 0 || i + 1 == n || s[i + 1] == '.')
				goto bad;
			parts++;
		} else if (!is_name_char(s[i])) {
			goto bad;
		}
	}
	o->nparts = parts;
	o->off = c->pool.len;
	for (size_t i = 0; i < n; i++)
		buf_putc(&c->pool, s[i] == '.' ? '\0' : s[i]);
	buf_putc(&c->pool, '\0');
	return c->pool.oom ? compile_oom(c) : 0;
bad:
	return herr_set(c->e, ERR_INVALID, NULL,
		"template \"%s\" line %u: \"%.*s\" is not a valid name "
		"(letters, digits, '_', '-', parts joined by '.')",
		c->name, line, n > 60 ? 60 : (int)n, s);
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* A tag alone on its line (spaces and tabs around it allowed) takes the
 * whole line with it, so section markers do not leave blank lines. Returns
 * whether it is standalone and, if so, where the line starts and where the
 * next one starts. text_start bounds the look back: the line must begin
 * after the previous tag. */
static bool standalone(const struct compiler *c, size_t text_start, size_t open,
	size_t tag_end, size_t *ret_line_start, size_t *ret_next)
{
	size_t ls = open;
	while (ls > text_start && (c->src[ls - 1] == ' ' || c->src[ls - 1] == '\t'))
		ls--;
	if (ls != 0 && c->src[ls - 1] != '\n')
		return false;
	size_t p = tag_end;
	while (p < c->len && (c->src[p] == ' ' || c->src[p] == '\t'))
		p++;
	if (p < c->len) {
		if (c->src[p] == '\n')
			p++;
		else if (c->src[p] == '\r' && p + 1 < c->len && c->src[p + 1] == '\n')
			p += 2;
		else
			return false;
	}
	*ret_line_start = ls;
	*ret_next = p;
	return true;
}

static int compile(struct compiler *c)
{
	static const char open_delim[] = "{{", close_delim[] = "}}";
	size_t pos = 0, text_start = 0, counted = 0;
	unsigned line = 1;
	int rc;

	for (;;) {
		const char *hit = memmem(c->src + pos, c->len - pos, open_delim, 2);
		if (!hit)
			break;
		size_t open = (size_t)(hit - c->src);
		for (; counted < open; counted++)
			if (c->src[counted] == '\n')
				line++;

		char sigil = open + 2 < c->len ? c->src[open + 2] : '\0';
		size_t start = open + 2;
		enum op_kind kind = OP_VAR;
		bool is_close = false, is_comment = false, triple = false;
		switch (sigil) {
		case '{': kind = OP_RAW; triple = true; start++; break;
		case '&': kind = OP_RAW; start++; break;
		case '#': kind = OP_SECTION; start++; break;
		case '^': kind = OP_INVERTED; start++; break;
		case '>': kind = OP_PARTIAL; start++; break;
		case '/': is_close = true; start++; break;
		case '!': is_comment = true; start++; break;
		case '=':
			return herr_set(c->e, ERR_INVALID, NULL,
				"template \"%s\" line %u: changing delimiters ({{=...=}}) is not supported",
				c->name, line);
		default: break;
		}
		const char *end = start <= c->len
			? memmem(c->src + start, c->len - start, close_delim, 2) : NULL;
		if (!end)
			return herr_set(c->e, ERR_INVALID, NULL,
				"template \"%s\" line %u: \"{{\" is not closed by \"}}\"", c->name, line);
		size_t close = (size_t)(end - c->src), tag_end = close + 2;
		if (triple) {
			if (tag_end >= c->len || c->src[tag_end] != '}')
				return herr_set(c->e, ERR_INVALID, NULL,
					"template \"%s\" line %u: \"{{{\" is not closed by \"}}}\"",
					c->name, line);
			tag_end++;
		}

		const char *nm = c->src + start;
		size_t nlen = close - start;
		while (nlen && is_space(nm[0]))
			nm++, nlen--;
		while (nlen && is_space(nm[nlen - 1]))
			nlen--;

		bool can_stand = is_comment || is_close || kind == OP_SECTION
			|| kind == OP_INVERTED || kind == OP_PARTIAL;
		size_t text_end = open, next = tag_end;
		if (can_stand)   /* moves text_end and next back and on if so */
			(void)standalone(c, text_start, open, tag_end, &text_end, &next);
		if ((rc = add_text(c, text_start, text_end, line)) < 0)
			return rc;
		pos = text_start = next;

		if (is_comment)
			continue;
		c->text_open = false;
		if (nlen == 0)
			return herr_set(c->e, ERR_INVALID, NULL,
				"template \"%s\" line %u: a tag has an empty name", c->name, line);

		bool is_value = (kind == OP_VAR || kind == OP_RAW) && !is_close;
		if (is_value && (c->html == H_TAG || c->html == H_LT || c->html == H_BANG
				|| c->html == H_BANG_DASH))
			return herr_set(c->e, ERR_INVALID, NULL,
				"template \"%s\" line %u: {{%.*s}} is inside an HTML tag but "
				"not in a quoted attribute value, where escaping cannot keep it safe",
				c->name, line, nlen > 60 ? 60 : (int)nlen, nm);

		if (is_close) {
			if (c->nopen == 0)
				return herr_set(c->e, ERR_INVALID, NULL,
					"template \"%s\" line %u: {{/%.*s}} closes no open section",
					c->name, line, nlen > 60 ? 60 : (int)nlen, nm);
			int top = c->nopen - 1;
			const char *want = c->pool.data + c->open[top].name;
			size_t wlen = c->open[top].namelen;
			if (wlen != nlen || memcmp(want, nm, nlen) != 0)
				return herr_set(c->e, ERR_INVALID, NULL,
					"template \"%s\" line %u: {{/%.*s}} does not match the open section \"%.*s\" (line %u)",
					c->name, line, nlen > 60 ? 60 : (int)nlen, nm,
					wlen > 60 ? 60 : (int)wlen, want, c->ops[c->open[top].op].line);
			c->ops[c->open[top].op].end = c->nops;
			c->nopen--;
			continue;
		}

		struct op *o = push_op(c, kind, line);
		if (!o)
			return compile_oom(c);
		if (kind == OP_PARTIAL) {
			for (size_t i = 0; i < nlen; i++)
				if ((unsigned char)nm[i] <= ' ' || nm[i] == '{' || nm[i] == '}')
					return herr_set(c->e, ERR_INVALID, NULL,
						"template \"%s\" line %u: \"%.*s\" is not a valid partial name",
						c->name, line, nlen > 60 ? 60 : (int)nlen, nm);
			o->off = c->pool.len;
			o->nparts = 1;
			buf_append(&c->pool, nm, nlen);
			buf_putc(&c->pool, '\0');
			if (c->pool.oom)
				return compile_oom(c);
			continue;
		}
		if ((rc = add_name(c, o, nm, nlen, line)) < 0)
			return rc;
		if (kind == OP_SECTION || kind == OP_INVERTED) {
			if (c->nopen == MAX_SECTION_DEPTH)
				return herr_set(c->e, ERR_INVALID, NULL,
					"template \"%s\" line %u: sections nest deeper than %d",
					c->name, line, MAX_SECTION_DEPTH);
			/* The name as written, for matching the closing tag. */
			size_t at = c->pool.len;
			buf_append(&c->pool, nm, nlen);
			if (c->pool.oom)
				return compile_oom(c);
			c->open[c->nopen].op = c->nops - 1;
			c->open[c->nopen].name = at;
			c->open[c->nopen].namelen = nlen;
			c->nopen++;
		}
	}

	if ((rc = add_text(c, text_start, c->len, line)) < 0)
		return rc;
	if (c->nopen > 0) {
		int top = c->nopen - 1;
		return herr_set(c->e, ERR_INVALID, NULL,
			"template \"%s\" line %u: section \"%.*s\" is not closed", c->name,
			c->ops[c->open[top].op].line,
			c->open[top].namelen > 60 ? 60 : (int)c->open[top].namelen,
			c->pool.data + c->open[top].name);
	}
	return 0;
}

int tmpl_set_add(tmpl_set *s, const char *name, const char *src, size_t len, herr *e)
{
	if (!s || !name || (!src && len))
		return herr_set(e, ERR_INVALID, NULL, "tmpl_set_add: missing argument");
	if (find_tmpl(s, name))
		return herr_set(e, ERR_CONFLICT, NULL, "template \"%s\" is already in the set", name);

	struct compiler c = { .name = name, .src = src ? src : "", .len = len, .e = e,
		.pool = BUF_INIT, .html = H_TEXT };
	int rc = compile(&c);
	if (rc < 0)
		goto fail;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct tmpl *v = realloc(s->v, cap * sizeof *v);
		if (!v)
			goto oom;
		s->v = v;
		s->cap = cap;
	}
	char *pool = buf_take(&c.pool);   /* non-NULL even when empty */
	char *copy = strdup(name);
	if (!pool || !copy) {
		free(pool);
		free(copy);
		goto oom;
	}
	s->v[s->n++] = (struct tmpl){ .name = copy, .pool = pool, .ops = c.ops, .nops = c.nops };
	return 0;
oom:
	rc = compile_oom(&c);
fail:
	buf_free(&c.pool);
	free(c.ops);
	return rc;
}

/* ---- rendering ---- */

/* The context stack: a chain of frames on the C stack, innermost first. */
struct ctx {
	json_t *v;
	const struct ctx *up;
};

struct render {
	const tmpl_set *s;
	buf *out;
	herr *e;
	int depth;   /* partials entered */
};

/* The first part of a name is looked up from the innermost context out; the
 * rest inside what it found, with no second search outwards (so "a.b" never
 * picks up an outer b when a has none). */
static json_t *lookup(const struct tmpl *t, const struct op *o, const struct ctx *c)
{
	if (o->nparts == 0)
		return c->v;
	const char *part = t->pool + o->off;
	json_t *v = NULL;
	for (; c && !v; c = c->up)
		v = json_object_get(c->v, part);   /* NULL when c->v is no object */
	for (unsigned i = 1; v && i < o->nparts; i++) {
		part += strlen(part) + 1;
		v = json_object_get(v, part);
	}
	return v;
}

static bool truthy(const json_t *v)
{
	if (!v)
		return false;
	switch (json_typeof(v)) {
	case JSON_OBJECT: return true;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0.0;
	case JSON_TRUE: return true;
	case JSON_FALSE:
	case JSON_NULL: return false;
	}
	return false;
}

/* The shortest of %.15g, %.16g and %.17g that reads back as the same
 * double, so 0.1 prints as "0.1" rather than "0.10000000000000001". Assumes
 * the C locale's decimal point, as the whole server does. */
static void put_real(buf *out, double d)
{
	char tmp[32];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, d);
		if (prec == 17 || strtod(tmp, NULL) == d)
			break;
	}
	buf_puts(out, tmp);
}

static void put_value(buf *out, const json_t *v, bool escape)
{
	if (!v)
		return;
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (escape)
			buf_html_escape(out, json_string_value(v), json_string_length(v));
		else
			buf_append(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		put_real(out, json_real_value(v));
		break;
	case JSON_TRUE:
		buf_puts(out, "true");
		break;
	default:
		break;
	}
}

static int render_range(struct render *r, const struct tmpl *t, size_t from, size_t to,
	const struct ctx *c);

static int render_partial(struct render *r, const struct tmpl *t, const struct op *o,
	const struct ctx *c)
{
	const char *pname = t->pool + o->off;
	const struct tmpl *p = find_tmpl(r->s, pname);
	if (!p)
		return herr_set(r->e, ERR_NOTFOUND, NULL,
			"template \"%s\" line %u: partial \"%s\" not found", t->name, o->line, pname);
	if (r->depth >= MAX_PARTIAL_DEPTH)
		return herr_set(r->e, ERR_INVALID, NULL,
			"template \"%s\" line %u: partials nest deeper than %d "
			"(does \"%s\" include itself?)", t->name, o->line, MAX_PARTIAL_DEPTH, pname);
	r->depth++;
	int rc = render_range(r, p, 0, p->nops, c);
	r->depth--;
	return rc;
}

static int render_range(struct render *r, const struct tmpl *t, size_t from, size_t to,
	const struct ctx *c)
{
	size_t i = from;
	while (i < to) {
		if (r->out->oom)
			return herr_set(r->e, ERR_NOMEM, NULL, "template \"%s\": out of memory", t->name);
		const struct op *o = &t->ops[i];
		int rc = 0;
		switch (o->kind) {
		case OP_TEXT:
			buf_append(r->out, t->pool + o->off, o->len);
			break;
		case OP_VAR:
		case OP_RAW:
			put_value(r->out, lookup(t, o, c), o->kind == OP_VAR);
			break;
		case OP_SECTION: {
			json_t *v = lookup(t, o, c);
			if (json_is_array(v)) {
				size_t n = json_array_size(v);
				for (size_t k = 0; k < n && rc == 0; k++) {
					struct ctx inner = { json_array_get(v, k), c };
					rc = render_range(r, t, i + 1, o->end, &inner);
				}
			} else if (truthy(v)) {
				struct ctx inner = { v, c };
				rc = render_range(r, t, i + 1, o->end, &inner);
			}
			i = o->end;
			break;
		}
		case OP_INVERTED:
			if (!truthy(lookup(t, o, c)))
				rc = render_range(r, t, i + 1, o->end, c);
			i = o->end;
			break;
		case OP_PARTIAL:
			rc = render_partial(r, t, o, c);
			break;
		}
		if (rc < 0)
			return rc;
		if (o->kind != OP_SECTION && o->kind != OP_INVERTED)
			i++;
	}
	return 0;
}

int tmpl_render(const tmpl_set *s, const char *name, json_t *model, buf *out, herr *e)
{
	const struct tmpl *t = s && name ? find_tmpl(s, name) : NULL;
	if (!t)
		return herr_set(e, ERR_NOTFOUND, NULL, "template \"%s\" not found",
			name ? name : "(null)");
	struct render r = { .s = s, .out = out, .e = e };
	struct ctx root = { model, NULL };
	int rc = render_range(&r, t, 0, t->nops, &root);
	if (rc == 0 && out->oom)
		rc = herr_set(e, ERR_NOMEM, NULL, "template \"%s\": out of memory", name);
	return rc;
}
