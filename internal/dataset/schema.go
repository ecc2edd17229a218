package dataset

import "github.com/keascope/keascope/hollow/schema"

// SchemaVersion is the layout version written as a header tag, so a reader
// can refuse a layout it does not know.
const SchemaVersion = "1"

// Header tags keascope adds to Hollow's own.
const (
	TagServer = "keascope.server"
	TagSchema = "keascope.schema"
)

// Type names.
const (
	TServer            = "Server"
	TInterval          = "Interval"
	THistogram         = "Histogram"
	TCount             = "Count"
	TListOfCount       = "ListOfCount"
	TTypeLatency       = "TypeLatency"
	TListOfTypeLatency = "ListOfTypeLatency"
	TPhase             = "Phase"
	TListOfPhase       = "ListOfPhase"
	TThreadCPU         = "ThreadCPU"
	TListOfThreadCPU   = "ListOfThreadCPU"
	TSubnetUse         = "SubnetUse"
	TListOfSubnetUse   = "ListOfSubnetUse"
	TErrorEvent        = "ErrorEvent"
)

func obj(name string, pk []string, fields ...schema.Field) schema.Schema {
	return schema.Schema{Kind: schema.Object, Name: name, PrimaryKey: pk, Fields: fields}
}

func list(name, elem string) schema.Schema {
	return schema.Schema{Kind: schema.List, Name: name, Element: elem}
}

func f(name string, t schema.FieldType) schema.Field { return schema.Field{Name: name, Type: t} }

func ref(name, typ string) schema.Field {
	return schema.Field{Name: name, Type: schema.Reference, Ref: typ}
}

// rxTypes and txTypes are the per-type packet counters, flattened into
// fields so the common case needs no collection records.
var (
	rxTypes = []string{"discover", "request", "release", "decline", "inform", "unknown"}
	txTypes = []string{"offer", "ack", "nak"}
)

func fieldName(prefix, typ string) string {
	return prefix + string(typ[0]-'a'+'A') + typ[1:]
}

// Schemas are every type of the dataset (docs/dataset.md), referenced types
// first.
func Schemas() []schema.Schema {
	iv := []schema.Field{
		f("resolution", schema.String), f("end", schema.Long), f("start", schema.Long), f("seconds", schema.Double),
		f("source", schema.String), f("keaPid", schema.Int), f("keaUp", schema.Boolean), f("keaRestarts", schema.Int),
	}
	for _, t := range rxTypes {
		iv = append(iv, f(fieldName("rx", t), schema.Long))
	}
	for _, t := range txTypes {
		iv = append(iv, f(fieldName("tx", t), schema.Long))
	}
	iv = append(iv,
		f("answered", schema.Long), f("dropped", schema.Long), f("unanswered", schema.Long), f("kernelDropped", schema.Long),
		f("parseFailed", schema.Long), f("naks", schema.Long), f("allocFailed", schema.Long),
		ref("dropReasons", TListOfCount), ref("exceptions", TListOfCount), ref("logMessages", TListOfCount), ref("keaCounters", TListOfCount),
		ref("latency", THistogram), ref("latencyByType", TListOfTypeLatency), ref("phases", TListOfPhase),
		f("cpuPercent", schema.Double), f("userPercent", schema.Double), f("systemPercent", schema.Double),
		f("rssBytes", schema.Long), f("rssPeakBytes", schema.Long), f("ctxVoluntary", schema.Long), f("ctxInvoluntary", schema.Long),
		ref("threads", TListOfThreadCPU), ref("subnets", TListOfSubnetUse),
		f("probeSet", schema.String), f("probesAttached", schema.Int), f("probesMissing", schema.String), f("eventsLost", schema.Long),
	)
	return []schema.Schema{
		obj(TServer, []string{"host"}, f("host", schema.String), f("keaVersion", schema.String), f("pid", schema.Int),
			f("socketMode", schema.String), f("threads", schema.Int), f("storeMode", schema.String), f("source", schema.String)),
		obj(THistogram, nil, f("count", schema.Long), f("sumNs", schema.Long), f("minNs", schema.Long), f("maxNs", schema.Long),
			f("buckets", schema.Bytes)),
		obj(TCount, nil, f("key", schema.String), f("count", schema.Long)),
		list(TListOfCount, TCount),
		obj(TTypeLatency, nil, f("query", schema.String), f("response", schema.String), ref("latency", THistogram)),
		list(TListOfTypeLatency, TTypeLatency),
		obj(TPhase, nil, f("name", schema.String), ref("duration", THistogram)),
		list(TListOfPhase, TPhase),
		obj(TThreadCPU, nil, f("tid", schema.Int), f("name", schema.String), f("cpuPercent", schema.Double)),
		list(TListOfThreadCPU, TThreadCPU),
		obj(TSubnetUse, nil, f("subnetId", schema.Long), f("prefix", schema.String), f("total", schema.Long),
			f("assigned", schema.Long), f("declined", schema.Long)),
		list(TListOfSubnetUse, TSubnetUse),
		obj(TInterval, []string{"resolution", "end"}, iv...),
		obj(TErrorEvent, []string{"kind", "key"}, f("kind", schema.String), f("key", schema.String), f("count", schema.Long),
			f("firstSeen", schema.Long), f("lastSeen", schema.Long)),
	}
}
