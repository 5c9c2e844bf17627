// The runtime probe: a Go reactor that exercises what a snapshot must carry for the Go
// runtime to continue exactly (goroutines parked across calls, the scheduler, the garbage
// collector, maps, timers, the runtime's random state), while calling a host import that
// suspends (JSPI). test/go-runtime-snapshot.test.ts drives it; see that file for what it shows.
package main

import (
	"math/rand/v2"
	"runtime"
	"sort"
	"strconv"
	"time"
	"unsafe"
)

// wait suspends the calling export until the host's promise resolves; answers k*7+1.
//
//go:wasmimport probe wait
func hostWait(k int32) int32

// report hands the host one line of text (the step's observations, as JSON).
//
//go:wasmimport probe report
func hostReport(ptr unsafe.Pointer, n int32)

func main() {}

type node struct {
	next *node
	seq  int
	data []byte
}

var (
	table    = map[string]int{}
	workers  []chan int
	results  chan [2]int
	live     *node // a list the collector must keep, checked every step
	liveLen  int
	fired    []int // steps whose AfterFunc timers have fired
	ticks    int   // advanced by a goroutine sleeping in a loop
	initRuns int
)

func init() { initRuns++ }

// start_workers parks n goroutines on channels; they outlive the call (and the snapshot).
//
//go:wasmexport start_workers
func startWorkers(n int32) {
	results = make(chan [2]int, 64)
	for i := 0; i < int(n); i++ {
		ch := make(chan int)
		workers = append(workers, ch)
		go func(id int, in chan int) {
			sum := 0
			for v := range in {
				sum += v * (id + 1)
				results <- [2]int{id, sum}
			}
		}(i, ch)
	}
	go func() {
		for {
			time.Sleep(3 * time.Millisecond)
			ticks++
		}
	}()
}

// step k: one call's worth of work; reports what it saw.
//
//go:wasmexport step
func step(k int32) int32 {
	ticksBefore := ticks
	time.Sleep(5 * time.Millisecond) // lets the timer the previous step armed fire
	waited := hostWait(k)

	for i := 0; i < 500; i++ {
		table["k"+strconv.Itoa(int(k))+"-"+strconv.Itoa(i)] = i * int(k)
	}
	for key, v := range table {
		if v%3 == 0 && key[1] != byte('0'+k%10) {
			delete(table, key)
		}
	}
	keys := make([]string, 0, len(table))
	mapSum := 0
	for key, v := range table {
		keys = append(keys, key)
		mapSum += v
	}
	iterationOrder := keys[:8] // depends on the map's hash seed and layout, both in memory
	sorted := append([]string(nil), keys...)
	sort.Strings(sorted)

	for _, ch := range workers {
		ch <- int(k)
	}
	order := make([]int, 0, len(workers))
	sums := make([]int, len(workers))
	for range workers {
		r := <-results
		order = append(order, r[0])
		sums[r[0]] = r[1]
	}

	for i := 0; i < 2000; i++ { // garbage, and one more node on the live list
		_ = make([]byte, 1024+i%7)
	}
	live = &node{next: live, seq: liveLen, data: []byte(strconv.Itoa(liveLen * 31))}
	liveLen++
	runtime.GC()
	liveOK := true
	n := 0
	for at := live; at != nil; at = at.next {
		if string(at.data) != strconv.Itoa(at.seq*31) || at.seq != liveLen-1-n {
			liveOK = false
		}
		n++
	}
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)

	stepK := int(k)
	time.AfterFunc(2*time.Millisecond, func() { fired = append(fired, stepK) })
	long := time.NewTimer(time.Hour)

	out := `{"k":` + strconv.Itoa(stepK) + `,"waited":` + strconv.Itoa(int(waited)) +
		`,"mapLen":` + strconv.Itoa(len(table)) + `,"mapSum":` + strconv.Itoa(mapSum) +
		`,"sortedHead":` + quoteAll(sorted[:4]) + `,"iterationOrder":` + quoteAll(iterationOrder) +
		`,"workerSums":` + ints(sums) + `,"schedOrder":` + ints(order) +
		`,"liveLen":` + strconv.Itoa(n) + `,"liveOK":` + strconv.FormatBool(liveOK) +
		`,"numGC":` + strconv.Itoa(int(stats.NumGC)) + `,"fired":` + ints(fired) +
		`,"rand":"` + strconv.FormatUint(rand.Uint64(), 10) + `"` +
		`,"ticksAdvanced":` + strconv.FormatBool(ticks > ticksBefore) +
		`,"longTimerStopped":` + strconv.FormatBool(long.Stop()) +
		`,"goroutines":` + strconv.Itoa(runtime.NumGoroutine()) +
		`,"initRuns":` + strconv.Itoa(initRuns) + `}`
	hostReport(unsafe.Pointer(unsafe.StringData(out)), int32(len(out)))
	return int32(len(table))
}

func quoteAll(list []string) string { return jsonList(list, strconv.Quote) }

func ints(list []int) string { return jsonList(list, strconv.Itoa) }

func jsonList[T any](list []T, format func(T) string) string {
	out := "["
	for i, v := range list {
		if i > 0 {
			out += ","
		}
		out += format(v)
	}
	return out + "]"
}
