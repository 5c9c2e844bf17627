package operator

// The SDK's own JSON codec, for the values objects are made of (map[string]any, []any,
// string, float64/int64, bool, nil). Why not encoding/json: it works through reflect, and
// linking it adds about 1.4 MB to every operator (3.2 MB instead of 1.9 MB for a small
// module, measured with Go 1.26), which every host pays in compile time and code memory.
// Authors who want typed structs can still use encoding/json and pass a RawJSON.

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// RawJSON is JSON text passed through as it is (for example from encoding/json.Marshal).
type RawJSON []byte

// Marshaler is a value that encodes itself; the SDK's encoder honours it, as encoding/json does.
type Marshaler interface {
	MarshalJSON() ([]byte, error)
}

// ParseJSON decodes JSON text into nil, bool, string, int64 (integers that fit), float64,
// []any and map[string]any.
func ParseJSON(data []byte) (any, error) {
	d := decoder{data: data}
	d.space()
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	d.space()
	if d.at < len(d.data) {
		return nil, d.fail("unexpected text after the value")
	}
	return v, nil
}

// MarshalJSON encodes v as JSON with object keys sorted: maps, slices and the scalar types
// (every int, uint and float size, string, bool, nil), Object, RawJSON, and any Marshaler.
func MarshalJSON(v any) ([]byte, error) {
	return appendJSON(nil, v)
}

const maxDepth = 512

type decoder struct {
	data []byte
	at   int
}

func (d *decoder) fail(what string) error {
	return errors.New("json: " + what + " at offset " + strconv.Itoa(d.at))
}

func (d *decoder) space() {
	for d.at < len(d.data) {
		switch d.data[d.at] {
		case ' ', '\t', '\n', '\r':
			d.at++
		default:
			return
		}
	}
}

func (d *decoder) literal(word string, v any) (any, error) {
	if len(d.data)-d.at < len(word) || string(d.data[d.at:d.at+len(word)]) != word {
		return nil, d.fail("invalid literal")
	}
	d.at += len(word)
	return v, nil
}

func (d *decoder) value(depth int) (any, error) {
	if depth > maxDepth {
		return nil, d.fail("nesting too deep")
	}
	if d.at >= len(d.data) {
		return nil, d.fail("unexpected end of input")
	}
	switch c := d.data[d.at]; {
	case c == '{':
		return d.object(depth)
	case c == '[':
		return d.array(depth)
	case c == '"':
		return d.str()
	case c == 't':
		return d.literal("true", true)
	case c == 'f':
		return d.literal("false", false)
	case c == 'n':
		return d.literal("null", nil)
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	default:
		return nil, d.fail("unexpected character " + strconv.QuoteRune(rune(c)))
	}
}

func (d *decoder) object(depth int) (any, error) {
	d.at++ // {
	m := map[string]any{}
	d.space()
	if d.at < len(d.data) && d.data[d.at] == '}' {
		d.at++
		return m, nil
	}
	for {
		d.space()
		if d.at >= len(d.data) || d.data[d.at] != '"' {
			return nil, d.fail("expected a string key")
		}
		key, err := d.str()
		if err != nil {
			return nil, err
		}
		d.space()
		if d.at >= len(d.data) || d.data[d.at] != ':' {
			return nil, d.fail("expected ':'")
		}
		d.at++
		d.space()
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		m[key] = v
		d.space()
		if d.at >= len(d.data) {
			return nil, d.fail("unexpected end of input in an object")
		}
		switch d.data[d.at] {
		case ',':
			d.at++
		case '}':
			d.at++
			return m, nil
		default:
			return nil, d.fail("expected ',' or '}'")
		}
	}
}

func (d *decoder) array(depth int) (any, error) {
	d.at++ // [
	list := []any{}
	d.space()
	if d.at < len(d.data) && d.data[d.at] == ']' {
		d.at++
		return list, nil
	}
	for {
		d.space()
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
		d.space()
		if d.at >= len(d.data) {
			return nil, d.fail("unexpected end of input in an array")
		}
		switch d.data[d.at] {
		case ',':
			d.at++
		case ']':
			d.at++
			return list, nil
		default:
			return nil, d.fail("expected ',' or ']'")
		}
	}
}

func (d *decoder) str() (string, error) {
	d.at++ // opening quote
	start := d.at
	// fast path: no escapes
	for d.at < len(d.data) {
		c := d.data[d.at]
		if c == '"' {
			s := d.data[start:d.at]
			d.at++
			if !utf8.Valid(s) {
				return string([]rune(string(s))), nil // invalid bytes become U+FFFD, as encoding/json does
			}
			return string(s), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		d.at++
	}
	buf := append([]byte(nil), d.data[start:d.at]...)
	for d.at < len(d.data) {
		c := d.data[d.at]
		switch {
		case c == '"':
			d.at++
			if !utf8.Valid(buf) {
				return string([]rune(string(buf))), nil
			}
			return string(buf), nil
		case c < 0x20:
			return "", d.fail("control character in a string")
		case c == '\\':
			if d.at+1 >= len(d.data) {
				return "", d.fail("unexpected end of input in a string")
			}
			e := d.data[d.at+1]
			d.at += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := d.hex4()
				if !ok {
					return "", d.fail("invalid \\u escape")
				}
				if utf16.IsSurrogate(r) {
					// a pair makes one rune; a lone half becomes U+FFFD, as in encoding/json
					if d.at+1 < len(d.data) && d.data[d.at] == '\\' && d.data[d.at+1] == 'u' {
						save := d.at
						d.at += 2
						if r2, ok := d.hex4(); ok {
							if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
								buf = utf8.AppendRune(buf, pair)
								continue
							}
						}
						d.at = save
					}
					r = utf8.RuneError
				}
				buf = utf8.AppendRune(buf, r)
			default:
				return "", d.fail("invalid escape")
			}
		default:
			buf = append(buf, c)
			d.at++
		}
	}
	return "", d.fail("unexpected end of input in a string")
}

func (d *decoder) hex4() (rune, bool) {
	if d.at+4 > len(d.data) {
		return 0, false
	}
	var r rune
	for _, c := range d.data[d.at : d.at+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	d.at += 4
	return r, true
}

func (d *decoder) number() (any, error) {
	start := d.at
	if d.data[d.at] == '-' {
		d.at++
	}
	digits := func() int {
		n := 0
		for d.at < len(d.data) && d.data[d.at] >= '0' && d.data[d.at] <= '9' {
			d.at++
			n++
		}
		return n
	}
	intStart := d.at
	if digits() == 0 || (d.data[intStart] == '0' && d.at-intStart > 1) {
		return nil, d.fail("invalid number")
	}
	integer := true
	if d.at < len(d.data) && d.data[d.at] == '.' {
		d.at++
		integer = false
		if digits() == 0 {
			return nil, d.fail("invalid number")
		}
	}
	if d.at < len(d.data) && (d.data[d.at] == 'e' || d.data[d.at] == 'E') {
		d.at++
		integer = false
		if d.at < len(d.data) && (d.data[d.at] == '+' || d.data[d.at] == '-') {
			d.at++
		}
		if digits() == 0 {
			return nil, d.fail("invalid number")
		}
	}
	text := string(d.data[start:d.at])
	if integer {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return n, nil
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return nil, d.fail("number out of range")
	}
	return f, nil
}

var errUnsupported = errors.New("json: unsupported value type (use map[string]any, []any, scalars, RawJSON or a Marshaler)")

func appendJSON(buf []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(buf, "null"...), nil
	case bool:
		return strconv.AppendBool(buf, x), nil
	case string:
		return appendString(buf, x), nil
	case int:
		return strconv.AppendInt(buf, int64(x), 10), nil
	case int8:
		return strconv.AppendInt(buf, int64(x), 10), nil
	case int16:
		return strconv.AppendInt(buf, int64(x), 10), nil
	case int32:
		return strconv.AppendInt(buf, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(buf, x, 10), nil
	case uint:
		return strconv.AppendUint(buf, uint64(x), 10), nil
	case uint8:
		return strconv.AppendUint(buf, uint64(x), 10), nil
	case uint16:
		return strconv.AppendUint(buf, uint64(x), 10), nil
	case uint32:
		return strconv.AppendUint(buf, uint64(x), 10), nil
	case uint64:
		return strconv.AppendUint(buf, x, 10), nil
	case float32:
		return appendFloat(buf, float64(x), 32)
	case float64:
		return appendFloat(buf, x, 64)
	case RawJSON:
		if _, err := ParseJSON(x); err != nil {
			return nil, err
		}
		return append(buf, x...), nil
	case Marshaler:
		b, err := x.MarshalJSON()
		if err != nil {
			return nil, err
		}
		return append(buf, b...), nil
	case map[string]any:
		return appendMap(buf, x)
	case Object:
		return appendMap(buf, x)
	case map[string]string:
		m := make(map[string]any, len(x))
		for k, s := range x {
			m[k] = s
		}
		return appendMap(buf, m)
	case []any:
		return appendList(buf, len(x), func(i int) any { return x[i] })
	case []string:
		return appendList(buf, len(x), func(i int) any { return x[i] })
	case []Object:
		return appendList(buf, len(x), func(i int) any { return x[i] })
	case []map[string]any:
		return appendList(buf, len(x), func(i int) any { return x[i] })
	case []int:
		return appendList(buf, len(x), func(i int) any { return x[i] })
	case []int64:
		return appendList(buf, len(x), func(i int) any { return x[i] })
	case error:
		return appendString(buf, x.Error()), nil
	case interface{ String() string }:
		return appendString(buf, x.String()), nil
	default:
		return nil, errUnsupported
	}
}

func appendMap(buf []byte, m map[string]any) ([]byte, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	buf = append(buf, '{')
	var err error
	for i, k := range keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendString(buf, k)
		buf = append(buf, ':')
		if buf, err = appendJSON(buf, m[k]); err != nil {
			return nil, err
		}
	}
	return append(buf, '}'), nil
}

func appendList(buf []byte, n int, at func(int) any) ([]byte, error) {
	buf = append(buf, '[')
	var err error
	for i := 0; i < n; i++ {
		if i > 0 {
			buf = append(buf, ',')
		}
		if buf, err = appendJSON(buf, at(i)); err != nil {
			return nil, err
		}
	}
	return append(buf, ']'), nil
}

// appendFloat writes floats as encoding/json does: no exponent for "ordinary" magnitudes.
func appendFloat(buf []byte, f float64, bits int) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, errors.New("json: NaN and infinities have no JSON form")
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21)) {
		format = 'e'
	}
	buf = strconv.AppendFloat(buf, f, format, -1, bits)
	if format == 'e' {
		// clean up e-09 to e-9, as encoding/json does
		n := len(buf)
		if n >= 4 && buf[n-4] == 'e' && buf[n-3] == '-' && buf[n-2] == '0' {
			buf[n-2] = buf[n-1]
			buf = buf[:n-1]
		}
	}
	return buf, nil
}

const hexDigits = "0123456789abcdef"

func appendString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				buf = append(buf, '\\', c)
			case c == '\n':
				buf = append(buf, '\\', 'n')
			case c == '\r':
				buf = append(buf, '\\', 'r')
			case c == '\t':
				buf = append(buf, '\\', 't')
			case c < 0x20:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				buf = append(buf, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, `\ufffd`...)
		} else {
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return append(buf, '"')
}
