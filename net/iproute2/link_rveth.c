// SPDX-License-Identifier: GPL-2.0
/*
 * iproute2 link plugin for rveth: `ip link add A type rveth peer name B [netns N] ...`.
 *
 * Stock iproute2 only parses the `peer` keyword for kinds it knows (veth). For any other kind
 * it loads `link_<kind>.so` from IP_LIB_DIR (default /usr/lib/ip) and calls the
 * `<kind>_link_util` it exports. This plugin encodes the peer exactly as iproute2 does for
 * veth: IFLA_INFO_DATA → VETH_INFO_PEER holding an ifinfomsg followed by the peer's IFLA_*
 * attributes, which `ip`'s own iplink_parse() (exported by the `ip` binary) fills in.
 *
 * The structure below mirrors `struct link_util` of iproute2's ip/ip_common.h, which is not
 * installed as a header; its layout has been stable for years (checked against 6.1).
 */
#include <stdio.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include <linux/veth.h>

struct link_util {
	struct link_util *next;
	const char *id;
	int maxattr;
	int (*parse_opt)(struct link_util *, int, char **, struct nlmsghdr *);
	void (*print_opt)(struct link_util *, FILE *, struct rtattr *[]);
	void (*print_xstats)(struct link_util *, FILE *, struct rtattr *);
	void (*print_help)(struct link_util *, int, char **, FILE *);
	int (*parse_ifla_xstats)(struct link_util *, int, char **);
	int (*print_ifla_xstats)(struct nlmsghdr *, void *);
};

struct iplink_req;
/* Exported by the ip binary. */
int iplink_parse(int argc, char **argv, struct iplink_req *req, char **type);
struct rtattr *addattr_nest(struct nlmsghdr *n, int maxlen, int type);
int addattr_nest_end(struct nlmsghdr *n, struct rtattr *nest);
void duparg(const char *key, const char *arg);

static void rveth_usage(FILE *f)
{
	fprintf(f, "Usage: ip link <options> type rveth [peer <options>]\n"
		   "To get <options> type 'ip link add help'\n");
}

static int rveth_parse_opt(struct link_util *lu, int argc, char **argv, struct nlmsghdr *n)
{
	struct ifinfomsg *ifm = NLMSG_DATA(n), *peer_ifm;
	unsigned int flags, change;
	int index, err;
	char *type = NULL;
	struct rtattr *data;

	if (argc < 1 || strcmp(argv[0], "peer") != 0) {
		rveth_usage(stderr);
		return -1;
	}

	/* iplink_parse() writes the peer's flags/index into the main ifinfomsg: save ours. */
	flags = ifm->ifi_flags;
	change = ifm->ifi_change;
	index = ifm->ifi_index;
	ifm->ifi_flags = 0;
	ifm->ifi_change = 0;
	ifm->ifi_index = 0;

	data = addattr_nest(n, 1024, VETH_INFO_PEER);
	/* Room for the peer's ifinfomsg; its attributes follow it inside the nest. */
	n->nlmsg_len += sizeof(struct ifinfomsg);

	err = iplink_parse(argc - 1, argv + 1, (struct iplink_req *)n, &type);
	if (err < 0)
		return err;
	if (type)
		duparg("type", argv[err]);

	peer_ifm = RTA_DATA(data);
	peer_ifm->ifi_index = ifm->ifi_index;
	peer_ifm->ifi_flags = ifm->ifi_flags;
	peer_ifm->ifi_change = ifm->ifi_change;
	ifm->ifi_flags = flags;
	ifm->ifi_change = change;
	ifm->ifi_index = index;

	addattr_nest_end(n, data);
	return argc - 1 - err;
}

static void rveth_print_help(struct link_util *lu, int argc, char **argv, FILE *f)
{
	rveth_usage(f);
}

struct link_util rveth_link_util = {
	.id = "rveth",
	.parse_opt = rveth_parse_opt,
	.print_help = rveth_print_help,
};
