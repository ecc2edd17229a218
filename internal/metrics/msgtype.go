package metrics

// MessageType is a DHCPv4 message type, the value of option 53.
type MessageType uint8

// DHCPv4 message types (RFC 2132, 9.6). Kea's statistics use the same names.
const (
	Discover MessageType = 1
	Offer    MessageType = 2
	Request  MessageType = 3
	Decline  MessageType = 4
	Ack      MessageType = 5
	Nak      MessageType = 6
	Release  MessageType = 7
	Inform   MessageType = 8
)

var messageNames = [...]string{
	Discover: "discover", Offer: "offer", Request: "request", Decline: "decline",
	Ack: "ack", Nak: "nak", Release: "release", Inform: "inform",
}

// QueryTypes are the messages a client sends, in display order.
var QueryTypes = []MessageType{Discover, Request, Release, Decline, Inform}

// ResponseTypes are the messages Kea sends, in display order.
var ResponseTypes = []MessageType{Offer, Ack, Nak}

// Known reports whether t is one of the eight types Kea handles.
func (t MessageType) Known() bool { return t >= Discover && t <= Inform }

// String returns Kea's lower-case name, "none" for 0 and "unknown" for
// anything else.
func (t MessageType) String() string {
	switch {
	case t == 0:
		return "none"
	case t.Known():
		return messageNames[t]
	default:
		return "unknown"
	}
}

// ParseMessageType is the inverse of String for the eight known types.
func ParseMessageType(s string) (MessageType, bool) {
	for i, n := range messageNames {
		if n != "" && n == s {
			return MessageType(i), true
		}
	}
	return 0, false
}
