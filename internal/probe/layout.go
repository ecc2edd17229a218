package probe

// These mirror the enums of bpf/keascope.bpf.c (BTF keeps no unused enum,
// so bpf2go cannot generate them): change both together. The lab tests
// fail on any mismatch because counts stop matching Kea's own.
const (
	cntRxBase          = 0
	cntTxBase          = 16
	cntMalformed       = 32
	cntMalformedTrunc  = 33
	cntMalformedHeader = 34
	cntMalformedNoType = 35
	cntAnswered        = 36
	cntTxUnmatched     = 37
	cntPendingFull     = 38
	cntRetransmit      = 39
	cntEventsLost      = 40
	cntKernelDrops     = 41
	cntNoReplyExpected = 42
	cntStatsLost       = 43
	cntRxUDP           = 44
	cntRxRaw           = 45
	cntSendFailed      = 46
	cntNoArrival       = 47
	numCounters        = 48
	histLatency        = 0
	histPhase          = 256
	phaseQueueWait     = 0
	phaseParse         = 1
	phaseAllocate      = 2
	phaseLeaseWrite    = 3
	phasePack          = 4
	evAnswered         = 1
	evMalformed        = 2
	evException        = 3
	evLogError         = 4
	evLogWarn          = 5
	parseOK            = 0
	parseNotDHCP       = 1
	parseTruncated     = 2
	parseBadHeader     = 3
	parseNoType        = 4
)

// phaseNames maps the BPF phase numbers to metrics phase names.
var phaseNames = [...]string{"queue_wait", "parse", "allocate", "lease_write", "pack"}
