// How rambling shows in an English turn (read by ../rambling.ts): what a lecture talks about, and
// how a direct reply opens. Sizes are words.
import type { RamblingSpec } from "../families.ts";

export const rambling: RamblingSpec = {
  monologue: 140,
  minSize: 50,
  ratio: 3,
  // The speaker, the bank and its machinery.
  self: [
    "(i|me|my|we|us|our)",
    "(the|this) (bank|branch|system|department|team|back office|head office|call centre|call center)",
    "head office",
    "{rule}",
  ],
  customer: ["(you|your|yours)"],
  lecture: [
    // Walking through the procedure step by step.
    "(first|firstly|first of all|secondly|then|after that|next|finally|and then)",
    "(the|our) (process|procedure|system|policy|rules|paperwork)",
    "(goes|go|passed|pass|sent|send) (to|through|on to|over to)",
    // Generalities and explanations instead of this customer's case.
    "(generally|usually|normally|typically|basically|actually|obviously|technically|in general|as a rule|in theory)",
    "(the way it works|what happens is|how it works|the thing is|you see|you have to understand)",
    "(a lot of|most|many|plenty of|some) (people|customers|clients)",
    "every (customer|case|application|request)",
    // Every case but this one: kinds, possibilities, conditions, and requirement after requirement.
    "(there are|there is) (several|a few|many|lots of|all sorts of|different|various|two|three|a number of) ..2 (kinds|types|reasons|ways|cases|options|possibilities|things)",
    "(one|another) (is|reason|type|kind|option|possibility)",
    "(for example|for instance|such as|say)",
    "(also need|also have to|as well as|and also|on top of)",
    // Background and digressions.
    "(years ago|back (when|then|in)|when i started|i have been (here|doing this)|in my experience)",
    "(by the way|anyway|also|plus|as well|not to mention|on top of that)",
  ],
  glue: [
    "(because|since|which means|that is why|so that)",
    "(if|unless|otherwise|in which case|in that case|depending on)",
  ],
  address: ["(hi|hello|sir|madam|mr|mrs|ms|miss)"],
  reply: [
    "(yes|yeah|no|sure|of course|absolutely|certainly)",
    "(you can|we can|i can|it will|it is|it has|it was|they will|that is fine)",
  ],
  acting: [
    "(i will|i can|let me|i am going to|i have just|i have already|i just|we can|we will|i am) ..2 {act}",
    "for you",
  ],
  offering: [
    "(i|we) (can|could|will|would be happy to) ..2 {act}",
    "let me",
    "you (can|could) (also )?(choose|use|try|go|call|visit|collect|pick|opt|get|upload|book|apply)",
  ],
  answers: [
    {
      asks: ["(how long|how much|how many|when|what time|what date|which day)"],
      opening: [
        "(about|around|within|in|by|takes) (#|one|two|three|four|five|ten) (working )?(days|day|hours|hour|minutes|weeks|week)",
      ],
    },
    { asks: ["(why|how come)"], opening: ["(because|it is because|the reason is)"], atStart: true },
  ],
  lectureMin: 4,
  lecturePer: 18,
};
