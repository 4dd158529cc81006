// Package zabbix is a small imitation of the Zabbix API, the real-world
// JSON-RPC 2.0 service the article mentions. Zabbix serves it at
// /api_jsonrpc.php. A client first calls user.login with a user name
// and password and gets a session token; every other call carries that
// token in the request's auth member, which is not part of JSON-RPC:
//
//	{"jsonrpc": "2.0", "method": "host.get", "params": {}, "auth": "0424…", "id": 2}
//
// (Zabbix 6.4 and later prefer an Authorization: Bearer header; the
// auth member is the form the article's screenshot shows.)
//
// Like Zabbix's, a session ends when its token has not been used for a
// while ([Service.SessionTTL]), and the table of sessions has a size
// limit ([Service.MaxSessions]), so that logging in again and again
// cannot fill the server's memory.
package zabbix
