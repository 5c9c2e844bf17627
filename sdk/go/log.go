package operator

// Logger writes structured log lines through the host, which adds the operator's name and
// the request being reconciled. Fields are key-value pairs, as in log/slog:
//
//	operator.Log.Info("created Deployment", "name", name, "replicas", 3)
type Logger struct {
	fields map[string]any
}

// Log is the operator's logger.
var Log Logger

// With is a logger that adds keyvals to every line.
func (l Logger) With(keyvals ...any) Logger {
	fields := make(map[string]any, len(l.fields)+len(keyvals)/2)
	for k, v := range l.fields {
		fields[k] = v
	}
	addFields(fields, keyvals)
	return Logger{fields: fields}
}

func (l Logger) Debug(message string, keyvals ...any) { l.write("debug", message, keyvals) }
func (l Logger) Info(message string, keyvals ...any)  { l.write("info", message, keyvals) }
func (l Logger) Warn(message string, keyvals ...any)  { l.write("warn", message, keyvals) }
func (l Logger) Error(message string, keyvals ...any) { l.write("error", message, keyvals) }

func (l Logger) write(level, message string, keyvals []any) {
	entry := map[string]any{"level": level, "message": message}
	if len(l.fields) > 0 || len(keyvals) > 0 {
		fields := make(map[string]any, len(l.fields)+len(keyvals)/2)
		for k, v := range l.fields {
			fields[k] = v
		}
		addFields(fields, keyvals)
		entry["fields"] = fields
	}
	payload, err := MarshalJSON(entry)
	if err != nil {
		// a field the codec cannot encode: keep the line, say which value was dropped
		entry["fields"] = map[string]any{"logError": err.Error()}
		payload = encodeOrPanic(entry)
	}
	host.log(payload)
}

// addFields adds key-value pairs; a key that is not a string, or a last key without a
// value, is kept under "!BADKEY" as log/slog does.
func addFields(fields map[string]any, keyvals []any) {
	for i := 0; i < len(keyvals); i += 2 {
		key, ok := keyvals[i].(string)
		if !ok || i+1 == len(keyvals) {
			fields["!BADKEY"] = keyvals[i]
			i--
			continue
		}
		fields[key] = keyvals[i+1]
	}
}
