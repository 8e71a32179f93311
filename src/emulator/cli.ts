console.log("emulator CLI arrives with its issue");
