/*
 * The smallest libwebsockets 4.1.6 server that answers GET /healthz the way
 * orderbot does: 200, "Content-Type: text/plain; charset=utf-8",
 * "Content-Length: 2", body "ok", HTTP/1.1 keep-alive; 404 for anything else.
 * One service thread, nothing between the socket and the answer: the ceiling
 * of this stack on this machine, for Benchmarks/healthz.sh.
 *
 * Usage: baseline PORT   (listens on 127.0.0.1; exits cleanly on SIGINT/SIGTERM)
 */
#include <libwebsockets.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t interrupted;

struct session {
	unsigned int status;
	const char *body;	/* NULL: no response pending */
	size_t body_len;
};

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static int add_header(struct lws *wsi, const char *name, const char *value,
		      unsigned char **p, unsigned char *end)
{
	return lws_add_http_header_by_name(wsi, (const unsigned char *)name,
					   (const unsigned char *)value,
					   (int)strlen(value), p, end);
}

/*
 * Headers and body go out in one lws_write in LWS_CALLBACK_HTTP_WRITEABLE, as orderbot does
 * for small responses: one syscall and one TCP segment per response, the least this stack can do.
 */
static int callback(struct lws *wsi, enum lws_callback_reasons reason,
		    void *user, void *in, size_t len)
{
	struct session *s = user;
	unsigned char buf[LWS_PRE + 512], *start = buf + LWS_PRE, *p = start,
		      *end = buf + sizeof(buf);

	switch (reason) {
	case LWS_CALLBACK_HTTP: {
		int healthz = lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) > 0 &&
			      len == strlen("/healthz") &&
			      !memcmp(in, "/healthz", len);

		s->status = healthz ? 200 : 404;
		s->body = healthz ? "ok" : "not found";
		s->body_len = strlen(s->body);
		lws_callback_on_writable(wsi);
		return 0;
	}

	case LWS_CALLBACK_HTTP_WRITEABLE: {
		const char *type;
		char length[8];
		int n;

		if (!s || !s->body)
			return 0;
		type = s->status == 200 ? "text/plain; charset=utf-8" : "text/plain";
		lws_snprintf(length, sizeof(length), "%u", (unsigned int)s->body_len);
		if (lws_add_http_header_status(wsi, s->status, &p, end) ||
		    add_header(wsi, "Content-Type:", type, &p, end) ||
		    add_header(wsi, "Content-Length:", length, &p, end) ||
		    lws_finalize_http_header(wsi, &p, end))
			return -1;
		memcpy(p, s->body, s->body_len);
		p += s->body_len;
		n = lws_ptr_diff(p, start);
		if (lws_write(wsi, start, (size_t)n, LWS_WRITE_HTTP_FINAL) != n)
			return -1;
		s->body = NULL;
		/* Nonzero: the client asked to close (or spoke HTTP/1.0). */
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	}

	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

static const struct lws_protocols protocols[] = {
	{ "http", callback, sizeof(struct session), 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

int main(int argc, char **argv)
{
	struct lws_context_creation_info info;
	struct lws_context *ctx;
	struct sigaction sa;
	int port = argc == 2 ? atoi(argv[1]) : 0;

	if (port <= 0 || port > 65535) {
		fprintf(stderr, "usage: %s PORT\n", argv[0]);
		return 2;
	}

	/* No SA_RESTART, so the signal wakes lws_service()'s poll with EINTR. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	lws_set_log_level(LLL_ERR, NULL);

	memset(&info, 0, sizeof(info));
	info.port = port;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	info.gid = -1;
	info.uid = -1;

	ctx = lws_create_context(&info);
	if (!ctx) {
		fprintf(stderr, "baseline: cannot listen on 127.0.0.1:%d\n", port);
		return 1;
	}
	while (!interrupted && lws_service(ctx, 0) >= 0)
		;
	lws_context_destroy(ctx);

	return 0;
}
