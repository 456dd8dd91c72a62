import { describe, expect, test } from 'bun:test'
import { matchesFields, parseFieldSelector, parseLabelSelector } from './selectors.ts'
import { ApiError } from './status.ts'

describe('label selectors', () => {
  const labels = { tier: 'web', env: 'prod', 'app.kubernetes.io/name': 'site', n: '7' }
  const cases: [string, boolean][] = [
    ['tier=web', true],
    ['tier==web', true],
    ['tier=db', false],
    ['tier!=db', true],
    ['missing!=x', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['env in (prod,staging)', true],
    ['env in (staging)', false],
    ['env notin (staging, dev)', true],
    ['missing notin (a)', true],
    ['tier=web,env in (prod)', true],
    ['tier=web,env in (dev)', false],
    ['app.kubernetes.io/name=site', true],
    ['n>5', true],
    ['n<5', false],
  ]
  for (const [selector, expected] of cases) {
    test(`${selector} → ${expected}`, () => {
      expect(parseLabelSelector(selector)!(labels)).toBe(expected)
    })
  }
  test('empty selector matches everything (no matcher)', () => {
    expect(parseLabelSelector('')).toBeUndefined()
    expect(parseLabelSelector(null)).toBeUndefined()
  })
  test('objects without labels', () => {
    expect(parseLabelSelector('!a')!(undefined)).toBe(true)
    expect(parseLabelSelector('a=b')!(undefined)).toBe(false)
  })
  test('garbage is a 400', () => {
    for (const bad of ['a in b', '=x', 'a b c', 'n>x']) {
      expect(() => parseLabelSelector(bad)).toThrow(ApiError)
    }
  })
})

describe('field selectors', () => {
  const event = { metadata: { name: 'e1', namespace: 'default' }, involvedObject: { kind: 'Repository', name: 'site' } }
  test('dotted paths, = and !=', () => {
    expect(matchesFields(event, parseFieldSelector('metadata.name=e1'))).toBe(true)
    expect(matchesFields(event, parseFieldSelector('involvedObject.kind=Repository,involvedObject.name==site'))).toBe(
      true,
    )
    expect(matchesFields(event, parseFieldSelector('involvedObject.name!=site'))).toBe(false)
  })
  test('a missing field equals the empty string (kubectl describe sends involvedObject.namespace=)', () => {
    expect(matchesFields(event, parseFieldSelector('involvedObject.namespace='))).toBe(true)
  })
  test('garbage is a 400', () => {
    expect(() => parseFieldSelector('metadata.name')).toThrow(ApiError)
  })
})
