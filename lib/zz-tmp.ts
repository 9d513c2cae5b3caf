import { z } from "zod";
import { userCreateBody } from "@/lib/schemas/access";
const s = z.literal("").or(userCreateBody.shape.password.unwrap());
console.log(JSON.stringify(s.safeParse("short").error?.issues));
console.log(s.safeParse("").success, s.safeParse("long-enough-password").success);
