package probe

//go:generate go tool bpf2go -cc clang -cflags "-O2 -g -Wall -Werror" -target amd64 -type event -type dhcp_info -type pending_key -type pending_query -type hist_key -type stat_key keascope ../../bpf/keascope.bpf.c -- -I../../bpf
