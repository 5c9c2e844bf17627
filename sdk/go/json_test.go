package operator

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestParseJSONDecodesIntegersAsInt64AndOtherNumbersAsFloat64(t *testing.T) {
	v, err := ParseJSON([]byte(`{"a":[1,-2,3.5,1e3,9223372036854775808],"b":true,"c":null,"d":"x\"\u00e9\ud83d\ude00\n"}`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"a": []any{int64(1), int64(-2), 3.5, 1000.0, 9223372036854775808.0},
		"b": true, "c": nil, "d": "x\"é😀\n",
	}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("got %#v", v)
	}
}

func TestParseJSONRejectsMalformedTextNamingTheOffset(t *testing.T) {
	for _, text := range []string{``, `{`, `{"a":}`, `[1,]`, `01`, `"\x"`, `{"a":1} x`, `tru`, "\"a\x01\"", `1.`, `-`} {
		if _, err := ParseJSON([]byte(text)); err == nil {
			t.Errorf("%q parsed", text)
		}
	}
}

func TestLoneSurrogatesBecomeTheReplacementCharacter(t *testing.T) {
	v, err := ParseJSON([]byte(`"\ud800x\udc00"`))
	if err != nil || v != "\ufffdx\ufffd" {
		t.Fatalf("got %q, %v", v, err)
	}
}

func TestMarshalJSONMatchesEncodingJSONForObjectValues(t *testing.T) {
	values := []any{
		map[string]any{"z": 1, "a": []any{"x", 2.5, nil, false}, "m": map[string]any{}},
		"tab\tquote\"back\\slash<>&\u2028 é \x01",
		[]any{1e21, 1e20, 1e-7, 0.000001, -0.0, 123456789.0, float32(0.1)},
		Object{"kind": "ConfigMap", "data": map[string]string{"k": "v"}},
		[]string{"a", "b"}, []Object{{"a": int64(1)}}, int64(-9007199254740993), uint64(18446744073709551615),
	}
	for _, v := range values {
		got, err := MarshalJSON(v)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(v)
		var a, b any
		if err := json.Unmarshal(got, &a); err != nil {
			t.Fatalf("%s is not JSON: %v", got, err)
		}
		_ = json.Unmarshal(want, &b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("got %s, encoding/json says %s", got, want)
		}
	}
}

func TestMarshalJSONSortsKeysAndWritesFloatsAsEncodingJSONDoes(t *testing.T) {
	got, _ := MarshalJSON(map[string]any{"b": 1e-7, "a": 1e21, "c": 100.0})
	if string(got) != `{"a":1e+21,"b":1e-7,"c":100}` {
		t.Fatalf("got %s", got)
	}
}

func TestMarshalJSONRefusesWhatHasNoJSONForm(t *testing.T) {
	for _, v := range []any{struct{}{}, make(chan int), map[string]any{"f": func() {}}} {
		if _, err := MarshalJSON(v); err == nil {
			t.Errorf("%T encoded", v)
		}
	}
}

func TestRoundTripKeepsEveryValue(t *testing.T) {
	text := `{"apiVersion":"v1","items":[{"metadata":{"labels":{"app":"web"},"name":"a"}}],"n":-12,"x":0.25}`
	v, err := ParseJSON([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := MarshalJSON(v)
	if string(out) != text {
		t.Fatalf("got %s", out)
	}
}
