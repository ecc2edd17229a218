package schema

import (
	"strings"
)

// Text is the schema in Java's toString form (Hollow's schema language),
// which Java hashes into the hollow.schema.hash header tag.
func (s *Schema) Text() string {
	var b strings.Builder
	b.WriteString(s.Name)
	paths := func(anno string, p []string) {
		if p != nil {
			b.WriteString(" @" + anno + "(" + strings.Join(p, ", ") + ")")
		}
	}
	switch s.Kind {
	case Object:
		paths("PrimaryKey", s.PrimaryKey)
		b.WriteString(" {\n")
		for _, f := range s.Fields {
			b.WriteString("\t")
			if f.Type == Reference {
				b.WriteString(f.Ref)
			} else {
				b.WriteString(strings.ToLower(f.Type.String()))
			}
			b.WriteString(" " + f.Name + ";\n")
		}
		b.WriteString("}")
	case List:
		b.WriteString(" List<" + s.Element + ">;")
	case Set:
		b.WriteString(" Set<" + s.Element + ">")
		paths("HashKey", s.HashKey)
		b.WriteString(";")
	case Map:
		b.WriteString(" Map<" + s.Key + "," + s.Value + ">")
		paths("HashKey", s.HashKey)
		b.WriteString(";")
	}
	return b.String()
}
