import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validate } from './check.ts';
import { formatProblem, type FieldProblem } from './field-problem.ts';
import { fieldRows, markdownTable } from './field-reference.ts';
import { toOpenApi } from './openapi.ts';
import { array, freeForm, integer, intOrString, literal, map, object, optional, string, type Infer } from './schema.ts';

const pet = object(
  'A pet.',
  {
    name: string('Its name.', { maxLength: 8, pattern: '^[a-z]+$' }),
    species: literal('What it is.', ['cat', 'dog']),
    age: optional(integer('Years.', { minimum: 0 })),
    weight: optional(intOrString('Weight.', { format: 'quantity', check: (v) => (String(v).endsWith('g') || typeof v === 'number' ? undefined : 'needs grams') })),
    tags: optional(array('Tags.', string('A tag.'), { listType: 'set' })),
    owners: optional(array('Owners.', object('An owner.', { id: string('Id.'), email: optional(string('Mail.')) }), { listType: 'map', listMapKeys: ['id'] })),
    extra: optional(freeForm('Anything.')),
    notes: optional(map('Notes by topic.', string('A note.'))),
    chip: optional(string('Chip id.')),
    tattoo: optional(string('Tattoo id.')),
  },
  {
    exactlyOne: ['chip', 'tattoo'],
    rules: [{ message: 'dogs need an age', cel: 'self.species != "dog" || has(self.age)', holds: (p) => p.species !== 'dog' || p.age !== undefined }],
  },
);

function problems(value: unknown): string[] {
  const found: FieldProblem[] = [];
  validate(pet, value, ['spec'], found);
  return found.map(formatProblem);
}

test('a valid value passes unchanged except for null fields, which are dropped as the API server prunes them', () => {
  const found: FieldProblem[] = [];
  const value = { name: 'tom', species: 'cat', chip: 'c1', age: null, extra: { keep: null } };
  assert.deepEqual(validate(pet, value, [], found), { name: 'tom', species: 'cat', chip: 'c1', extra: { keep: null } });
  assert.deepEqual(found, []);
});

test('every problem is reported at once, each naming its field in kube-apiserver\'s words', () => {
  assert.deepEqual(problems({ species: 'fish', age: -1, tags: 'x', chip: 'a', tattoo: 'b', color: 1, Notes: {} }), [
    'spec.name: Required value',
    'spec.species: Unsupported value: "fish": supported values: "cat", "dog"',
    'spec.age: Invalid value: -1: must be greater than or equal to 0',
    'spec.tags: Invalid value: "x": must be an array',
    'spec.color: Unknown field',
    'spec.Notes: Unknown field: did you mean "notes"?',
    'spec: Invalid value: object: only one of chip, tattoo may be set, got chip and tattoo',
  ]);
});

test('strings are checked for length, then pattern; ints-or-strings by their own check', () => {
  assert.deepEqual(problems({ name: 'waytoolongname', species: 'cat', chip: 'c' }), ['spec.name: Invalid value: "waytoolongname": must be no more than 8 characters']);
  assert.deepEqual(problems({ name: 'Tom', species: 'cat', chip: 'c', weight: '4kg ' }), [
    'spec.name: Invalid value: "Tom": must match ^[a-z]+$',
    'spec.weight: Invalid value: "4kg ": needs grams',
  ]);
  assert.deepEqual(problems({ name: 'tom', species: 'cat', chip: 'c', weight: 1.5 }), ['spec.weight: Invalid value: 1.5: must be an integer or a string']);
});

test('object rules, one-of groups, sets and keyed lists are enforced', () => {
  assert.deepEqual(problems({ name: 'rex', species: 'dog', tags: ['a', 'a'], owners: [{ id: 'x' }, { id: 'x', email: 'e' }] }), [
    'spec.tags[1]: Invalid value: "a": duplicate value',
    'spec.owners[1]: Invalid value: object: duplicate id',
    'spec: Required value: one of chip, tattoo must be set',
    'spec: Invalid value: object: dogs need an age',
  ]);
});

test('map keys that are not plain words are shown in brackets', () => {
  assert.deepEqual(problems({ name: 'tom', species: 'cat', chip: 'c', notes: { 'example.com/x': 1 } }), ['spec.notes[example.com/x]: Invalid value: 1: must be a string']);
});

test('the CRD schema is structural: typed nodes, required lists, oneOf, CEL rules and list types', () => {
  const schema = toOpenApi(pet) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(schema.type, 'object');
  assert.deepEqual(schema.required, ['name', 'species']);
  assert.deepEqual(schema.oneOf, [{ required: ['chip'] }, { required: ['tattoo'] }]);
  assert.deepEqual(schema['x-kubernetes-validations'], [{ rule: 'self.species != "dog" || has(self.age)', message: 'dogs need an age' }]);
  assert.deepEqual(schema.properties.species, { type: 'string', description: 'What it is.', enum: ['cat', 'dog'] });
  assert.deepEqual(schema.properties.weight, { description: 'Weight.', 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] });
  assert.equal(schema.properties.owners['x-kubernetes-list-type'], 'map');
  assert.deepEqual(schema.properties.owners['x-kubernetes-list-map-keys'], ['id']);
  assert.equal(schema.properties.extra['x-kubernetes-preserve-unknown-fields'], true);
  assert.deepEqual(schema.properties.notes.additionalProperties, { type: 'string', description: 'A note.' });
});

test('the field reference lists every nested field with its type and whether it is required', () => {
  const rows = fieldRows(pet, 'spec');
  assert.deepEqual(
    rows.map((r) => [r.path, r.type, r.required]),
    [
      ['spec.name', 'string', true],
      ['spec.species', 'string', true],
      ['spec.age', 'integer', false],
      ['spec.weight', 'integer or string (quantity)', false],
      ['spec.tags', '[]string', false],
      ['spec.owners', '[]object', false],
      ['spec.owners[].id', 'string', true],
      ['spec.owners[].email', 'string', false],
      ['spec.extra', 'object (any fields)', false],
      ['spec.notes', 'map[string]string', false],
      ['spec.chip', 'string', false],
      ['spec.tattoo', 'string', false],
    ],
  );
  assert.equal(rows[1]!.description, 'What it is. One of: `cat`, `dog`.');
  assert.match(markdownTable(rows), /^\| Field \| Type \| Required \| Description \|\n\|---\|---\|---\|---\|\n\| `spec.name` \| string \| yes \| Its name\. \|/);
});

test('the TypeScript type follows the schema: optional fields are optional, literals narrow', () => {
  const value: Infer<typeof pet> = { name: 'tom', species: 'cat', owners: [{ id: 'a' }] };
  // @ts-expect-error a species outside the literal list does not type-check
  const wrong: Infer<typeof pet> = { name: 'tom', species: 'fish' };
  assert.equal(value.species, 'cat');
  assert.equal(wrong.name, 'tom');
});
