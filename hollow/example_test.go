package hollow_test

import (
	"context"
	"fmt"
	"os"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/hollow/consumer"
	"github.com/keascope/keascope/hollow/index"
	"github.com/keascope/keascope/hollow/mapper"
	"github.com/keascope/keascope/hollow/producer"
	"github.com/keascope/keascope/hollow/write"
)

// Gauge is one metric; its name is its primary key.
type Gauge struct {
	Name  string `hollow:"name,key"`
	Ts    int64
	Value float64
}

func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "hollow-example")
	defer os.RemoveAll(dir)
	store, _ := blob.NewFS(dir)

	p := producer.New(store, producer.Config{})
	m := mapper.New(p.Engine())
	publish := func(gauges ...Gauge) {
		_, err := p.RunCycle(ctx, func(w *write.StateEngine) error {
			for _, g := range gauges {
				if _, err := m.Add(g); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			fmt.Println("cycle:", err)
		}
	}

	c := consumer.New(store, consumer.Config{})
	c.AddListener(func(u consumer.Update) {
		ch := u.Changes["Gauge"]
		fmt.Printf("version: %d added, %d removed, %d modified gauges\n", len(ch.Added), len(ch.Removed), len(ch.Modified))
	})

	publish(Gauge{"cpu", 1, 0.5}, Gauge{"mem", 1, 0.25})
	c.Refresh(ctx)
	publish(Gauge{"cpu", 2, 0.75}, Gauge{"mem", 1, 0.25}, Gauge{"disk", 2, 0.1})
	c.Refresh(ctx)

	pk, _ := index.NewPrimaryKey(c.Current(), "Gauge")
	ord, _, _ := pk.Get("cpu")
	var g Gauge
	mapper.NewReader(c.Current()).Read(ord, &g)
	fmt.Printf("%s at %d: %.2f\n", g.Name, g.Ts, g.Value)
	// Output:
	// version: 2 added, 0 removed, 0 modified gauges
	// version: 1 added, 0 removed, 1 modified gauges
	// cpu at 2: 0.75
}
