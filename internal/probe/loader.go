package probe

import (
	"errors"
	"fmt"
	"os"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/keascope/keascope/internal/keaproc"
)

//go:generate go tool bpf2go -cc clang -cflags "-O2 -g -Wall -Werror" -target amd64 -type event -type dhcp_info -type pending_key -type pending_query -type hist_key -type stat_key keascope ../../bpf/keascope.bpf.c -- -I../../bpf

// loadObjects loads every program and map; attaching is separate so the
// same objects serve both probe sets and every Kea restart.
func loadObjects(events bool) (*keascopeObjects, error) {
	if os.Geteuid() != 0 && !hasBPFCaps() {
		return nil, fmt.Errorf("load bpf: %w", ErrPermission)
	}
	spec, err := loadKeascope()
	if err != nil {
		return nil, fmt.Errorf("read bpf object: %w", err)
	}
	if events {
		if err := spec.Variables["cfg_events"].Set(uint8(1)); err != nil {
			return nil, fmt.Errorf("set cfg_events: %w", err)
		}
	}
	var objs keascopeObjects
	if err := spec.LoadAndAssign(&objs, nil); err != nil {
		if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
			return nil, fmt.Errorf("load bpf: %w: %v", ErrPermission, err)
		}
		return nil, fmt.Errorf("load bpf: %w", err)
	}
	return &objs, nil
}

// hasBPFCaps reports whether the effective capability set holds CAP_BPF and
// CAP_PERFMON, the minimum for tracepoint and uprobe programs.
func hasBPFCaps() bool {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return false
	}
	has := func(c uint) bool { return data[c/32].Effective&(1<<(c%32)) != 0 }
	return has(unix.CAP_BPF) && has(unix.CAP_PERFMON)
}

func (o *keascopeObjects) program(name string) (*ebpf.Program, error) {
	progs := map[string]*ebpf.Program{
		"enter_recvmsg": o.EnterRecvmsg, "exit_recvmsg": o.ExitRecvmsg,
		"enter_read": o.EnterRead, "exit_read": o.ExitRead,
		"enter_sendmsg": o.EnterSendmsg, "enter_sendto": o.EnterSendto,
		"exit_sendmsg": o.ExitSendmsg, "exit_sendto": o.ExitSendto,
		"udp_fail": o.UdpFail, "netif_rx": o.NetifRx,
		"parse_enter": o.ParseEnter, "parse_exit": o.ParseExit,
		"allocate_enter": o.AllocateEnter, "allocate_exit": o.AllocateExit,
		"lease_write_enter": o.LeaseWriteEnter, "lease_write_exit": o.LeaseWriteExit,
		"pack_enter": o.PackEnter, "pack_exit": o.PackExit,
		"stats_add": o.StatsAdd, "exception_ctor": o.ExceptionCtor,
		"log_error": o.LogError, "log_warn": o.LogWarn,
	}
	p := progs[name]
	if p == nil {
		return nil, fmt.Errorf("find program %q: not in the object", name)
	}
	return p, nil
}

// attachTracepoints attaches every tracepoint of specs once for the host.
// It returns the links, and the optional probes that failed with reasons.
func attachTracepoints(o *keascopeObjects, specs []Spec) ([]link.Link, []string, error) {
	var links []link.Link
	var missing []string
	for _, s := range specs {
		if !s.Kind.hostWide() {
			continue
		}
		prog, err := o.program(s.Program)
		if err == nil {
			var l link.Link
			if s.Kind == BTFTracepoint {
				// the object names the event (SEC("tp_btf/...")): the
				// program was loaded against it
				l, err = link.AttachTracing(link.TracingOptions{Program: prog})
			} else {
				l, err = link.Tracepoint(s.Group, s.Event, prog, nil)
			}
			if err == nil {
				links = append(links, l)
				continue
			}
		}
		if s.Required {
			closeAll(links)
			if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
				err = fmt.Errorf("%w: %v", ErrPermission, err)
			}
			return nil, nil, fmt.Errorf("attach %s:%s: %w: %w", s.Group, s.Event, ErrRequiredProbe, err)
		}
		missing = append(missing, fmt.Sprintf("%s: %v", s.Name, err))
	}
	return links, missing, nil
}

// attachUprobes attaches the uprobes of specs to the libraries pid has
// mapped, filtered to pid. An entry probe whose return probe fails is
// rolled back, so no phase start is left waiting for an end.
func attachUprobes(o *keascopeObjects, specs []Spec, proc string, pid int) ([]link.Link, []string, error) {
	var links []link.Link
	var missing []string
	exes := map[string]*link.Executable{}
	for i := 0; i < len(specs); i++ {
		s := specs[i]
		if s.Kind.hostWide() {
			continue
		}
		l, err := attachUprobe(o, s, proc, pid, exes)
		if err == nil && s.Kind == Uprobe && i+1 < len(specs) && specs[i+1].Kind == Uretprobe && specs[i+1].Symbol == s.Symbol {
			var r link.Link
			r, err = attachUprobe(o, specs[i+1], proc, pid, exes)
			if err != nil {
				l.Close()
			} else {
				links = append(links, r)
			}
			i++ // the pair is done either way
		}
		if err == nil {
			links = append(links, l)
			continue
		}
		if s.Required {
			closeAll(links)
			return nil, nil, fmt.Errorf("attach %s: %w: %w", s.Name, ErrRequiredProbe, err)
		}
		missing = append(missing, fmt.Sprintf("%s: %v", s.Name, err))
	}
	return links, missing, nil
}

func attachUprobe(o *keascopeObjects, s Spec, proc string, pid int, exes map[string]*link.Executable) (link.Link, error) {
	prog, err := o.program(s.Program)
	if err != nil {
		return nil, err
	}
	ex := exes[s.Library]
	if ex == nil {
		path, err := keaproc.Library(proc, pid, s.Library)
		if err != nil {
			return nil, err
		}
		if ex, err = link.OpenExecutable(path); err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		exes[s.Library] = ex
	}
	opts := &link.UprobeOptions{PID: pid}
	if s.Kind == Uretprobe {
		return ex.Uretprobe(s.Symbol, prog, opts)
	}
	return ex.Uprobe(s.Symbol, prog, opts)
}

func closeAll(links []link.Link) {
	for _, l := range links {
		l.Close()
	}
}
