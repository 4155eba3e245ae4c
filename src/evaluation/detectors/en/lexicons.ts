// English word lists the family patterns refer to as {name}. The canonical text is lower case
// with contractions spelt out ("don't" is "do not", "that's" is "that is").
const words = (list: string) => list.split("|");

export const lexicons = {
  authority: words(
    "head office|management|my manager|the bank|compliance|upstairs|the regulator|the system|the computer",
  ),
  rule: [
    ...words("policy|policies|rule|rules|regulation|regulations|procedure|procedures|protocol|guidelines"),
    ...words("terms and conditions|bank policy|company policy|the system|compliance"),
  ],
  feeling: words(
    "frustrated|frustrating|worried|worrying|upset|upsetting|stressful|stressed|angry|annoyed|annoying|scared|scary|" +
      "frightening|frightened|anxious|confused|confusing|disappointed|disappointing|alarmed|alarming|awful|horrible|" +
      "hard|difficult|unsettling|distressing|infuriating|inconvenient|concerned|nervous|maddening|exhausting|" +
      "shocking|shocked|painful|overwhelming|overwhelmed|a shock|a worry|a nightmare|a pain|rough|tough",
  ),
  sorry: words("sorry|apologise|apologize|apologies|apology|forgive me|pardon the"),
  ourside: [
    "(our|the|this|that|these|those) (system|systems|machine|machines|atm|atms|app|computer|computers|software|website)",
    "(our|the|this|that) (branch|bank|head office|back office|call centre|call center|department|team|card centre|online banking)",
    "head office",
    "(the|our) (training|paperwork|process|processes) (here)?",
    "the back office",
    "it department",
  ],
  colleague: [
    "(my|our|the other|that|the previous|the last|the) (colleague|colleagues|coworker|co-worker|teller|cashier|agent|advisor|adviser|staff|team|guy|girl|person|lady|manager|department)",
    "(the person|whoever|the agent|the guy|the lady) you (spoke|talked) to",
    "(the|that|our) new (guy|girl|lad|person|starter|hire|teller|colleague)",
    "(the|our) (engineering|engineers|it|tech|technical|support|sales|billing|back office) (team|department|people|guys|lot)",
  ],
  disparage: words(
    "useless|hopeless|clueless|incompetent|lazy|a mess|rubbish|terrible|a joke|idiots|an idiot|stupid|careless|" +
      "unreliable|garbage|ancient|a nightmare|a disaster|always wrong|a shambles",
  ),
  failing: words(
    "broken|down|crashing|crashes|crashed|glitchy|buggy|playing up|acting up|messing up|messes up|" +
      "gets things wrong|get things wrong|goes wrong|go wrong|fails|failing|freezes|freezing|eats cards|" +
      "swallows cards|slow|breaks|breaking|breaking down|out of order",
  ),
  often: words("always|constantly|forever|all the time|again|every other day|half the time|every week|every day"),
  later: words(
    "tomorrow|another day|later|next week|on monday|some other time|another time|in a few days|after the weekend|next time",
  ),
  reason: [
    ...words("to protect|for your safety|for your security|for your protection|to keep your|so that nobody|so no one"),
    ...words("to prevent|to make sure|for security|fraud|to stop|safety|security|protects|protect you|keep your money"),
  ],
  family: words(
    "son|daughter|kids|children|child|mother|mum|mom|father|dad|parents|family|wife|husband|partner|grandson|granddaughter",
  ),
  purpose: words("tuition|school fees|fees|rent|treatment|care|surgery|medical bills|wedding|deposit|studies|mortgage"),
  act: words(
    "check|call|arrange|set up|send|book|look into|pull up|get|print|order|block|freeze|unfreeze|reverse|refund|" +
      "waive|escalate|transfer|fill in|fill out|raise|file|log|contact|email|text|sort out|fix|replace|reissue|" +
      "cancel|speak to|put|take|walk|schedule|request|trace|investigate|open|update|confirm|submit|process|note|" +
      "register|report|chase|expedite|flag|reset|unlock|courier|post|mail|ring|lodge|issue|credit|find|look up|" +
      "have|go through|start|make",
  ),
  negator: words(
    "not|never|no|no one|nobody|none|nothing|hardly|without|need not|do not have to|does not have to|no need to",
  ),
};
