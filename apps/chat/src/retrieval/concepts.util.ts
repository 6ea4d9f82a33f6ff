import { analyze, isStopword } from './text.util';

export interface SplitPrompt {
  /** An explicit dashboard name ("… called Finance"), when the prompt gives one. */
  name: string | null;
  /** The metric concepts, in the prompt's order. */
  concepts: string[];
}

// "Build me a dashboard with", "show", "I'd like a board tracking" …: the request, not its subject.
const LEAD_IN =
  /^\s*(?:(?:please|hey|hi|ok|so|can you|could you|would you|i'd like|i would like|i want|i need|we need|let's|lets|build|create|make|set up|setup|design|give me|show me|show|me|a|an|the|my|our|new|simple|small|quick)\s+)*(?:dashboards?|boards?|views?|pages?|reports?|overview|panel)?\s*(?:with|showing|that shows|which shows|of|for|containing|including|about|tracking|to track|on|displaying)?\s*[:\-–]?\s*/i;
const NAMED = /\s*,?\s*\b(?:called|named|titled)\s+["“']?([^"”'\n]{1,200}?)["”']?\s*(?=$|[,.;\n]|\s+(?:with|showing|for)\b)/i;
const SEPARATORS = /\s*(?:,|;|\n|&|\+|\band\b|\bplus\b|\bas well as\b|\balong with\b|\btogether with\b)\s*/i;

/** Splits a dashboard prompt ("a dashboard with revenue, refunds and weekly signups") into concepts. */
export function splitPrompt(prompt: string): SplitPrompt {
  let text = prompt.trim();
  let name: string | null = null;
  const named = NAMED.exec(text);
  if (named) {
    name = named[1].trim() || null;
    text = `${text.slice(0, named.index)} ${text.slice(named.index + named[0].length)}`;
  }
  text = text.replace(LEAD_IN, '');
  const concepts = text
    .split(SEPARATORS)
    .map((part) => cleanConcept(part))
    .filter((part) => part.length > 0 && analyze(part).length > 0);
  return { name, concepts: dedupe(concepts) };
}

/** Trims filler words at both ends ("how many employees do we have?" → "employees"), keeps the middle. */
export function cleanConcept(text: string): string {
  const words = text.replace(/[?!.:"“”]+/g, ' ').trim().split(/\s+/).filter(Boolean);
  let start = 0;
  let end = words.length;
  while (start < end && isFiller(words[start])) start++;
  while (end > start && isFiller(words[end - 1])) end--;
  return words.slice(start, end).join(' ');
}

function isFiller(word: string): boolean {
  return isStopword(word.replace(/[^a-z']/gi, '')) || /^(the|a|an|our|my|some)$/i.test(word);
}

function dedupe(items: string[]): string[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = item.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A readable dashboard name from its concepts: "Revenue, refunds and weekly signups". */
export function dashboardNameFrom(concepts: readonly string[]): string {
  if (concepts.length === 0) return 'New dashboard';
  const shown = concepts.length > 4 ? [...concepts.slice(0, 3), `${concepts.length - 3} more`] : [...concepts];
  const joined = shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  return capitalize(joined).slice(0, 200);
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
